/**
 * MiniMax's video models on its public API (POST /v1/video_generation) and what each accepts, as its API
 * reference lists them: the durations allowed at each resolution, whether the prompt's [bracket] camera
 * commands steer it, whether it takes a last frame. Prices are MiniMax's published pay-as-you-go list prices
 * in US dollars per clip; the API's answers do not state a price, so these are what the node can show.
 */
export const RESOLUTIONS = ['512P', '720P', '768P', '1080P'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const DURATIONS = ['6', '10'] as const;
export type DurationText = (typeof DURATIONS)[number];

export interface ModelSpec {
  id: string;
  /** Durations in seconds allowed at each resolution (resolutions not listed: not offered). */
  durations: Partial<Record<Resolution, readonly number[]>>;
  /** Reads MiniMax Director's [Pan left, Zoom in] commands in the prompt. */
  director: boolean;
  /** Resolutions at which a last frame may be given as well (first-and-last-frame generation). */
  lastFrame?: readonly Resolution[];
  /** List price in USD by "<resolution>/<seconds>". */
  priceUsd: Partial<Record<`${Resolution}/${number}`, number>>;
  /** Typical seconds from submit to a finished clip, for the progress bar. */
  typicalSeconds: number;
}

const HAILUO_23: Omit<ModelSpec, 'id'> = {
  durations: { '768P': [6, 10], '1080P': [6] },
  director: true,
  priceUsd: { '768P/6': 0.28, '768P/10': 0.56, '1080P/6': 0.49 },
  typicalSeconds: 150,
};
const HAILUO_02_T2V: Omit<ModelSpec, 'id'> = { ...HAILUO_23 };
const SERIES_01: Omit<ModelSpec, 'id' | 'director'> = { durations: { '720P': [6] }, priceUsd: { '720P/6': 0.43 }, typicalSeconds: 120 };

export const IMAGE_TO_VIDEO_MODELS = [
  { id: 'MiniMax-Hailuo-2.3', ...HAILUO_23 },
  {
    id: 'MiniMax-Hailuo-2.3-Fast',
    ...HAILUO_23,
    priceUsd: { '768P/6': 0.19, '768P/10': 0.32, '1080P/6': 0.33 },
    typicalSeconds: 90,
  },
  {
    id: 'MiniMax-Hailuo-02',
    durations: { '512P': [6, 10], '768P': [6, 10], '1080P': [6] },
    director: true,
    lastFrame: ['768P', '1080P'],
    priceUsd: { '512P/6': 0.1, '512P/10': 0.15, '768P/6': 0.28, '768P/10': 0.56, '1080P/6': 0.49 },
    typicalSeconds: 150,
  },
  { id: 'I2V-01-Director', ...SERIES_01, director: true },
  { id: 'I2V-01-live', ...SERIES_01, director: false },
  { id: 'I2V-01', ...SERIES_01, director: false },
] as const satisfies readonly ModelSpec[];

export const TEXT_TO_VIDEO_MODELS = [
  { id: 'MiniMax-Hailuo-2.3', ...HAILUO_23 },
  { id: 'MiniMax-Hailuo-02', ...HAILUO_02_T2V },
  { id: 'T2V-01-Director', ...SERIES_01, director: true },
  { id: 'T2V-01', ...SERIES_01, director: false },
] as const satisfies readonly ModelSpec[];

export type ImageToVideoModel = (typeof IMAGE_TO_VIDEO_MODELS)[number]['id'];
export type TextToVideoModel = (typeof TEXT_TO_VIDEO_MODELS)[number]['id'];

export const I2V_MODEL_IDS = IMAGE_TO_VIDEO_MODELS.map((m) => m.id) as [ImageToVideoModel, ...ImageToVideoModel[]];
export const T2V_MODEL_IDS = TEXT_TO_VIDEO_MODELS.map((m) => m.id) as [TextToVideoModel, ...TextToVideoModel[]];

export function findModel(list: readonly ModelSpec[], id: string): ModelSpec | undefined {
  return list.find((m) => m.id === id);
}

/** What a model offers, in words: "768P at 6 or 10 s, 1080P at 6 s". */
export function offeredText(m: ModelSpec): string {
  return Object.entries(m.durations)
    .map(([res, secs]) => `${res} at ${(secs ?? []).join(' or ')} s`)
    .join(', ');
}

/** Problems with a model, resolution and duration chosen together, as [field, message]. */
export function checkCombination(m: ModelSpec, resolution: Resolution, seconds: number): Array<[string, string]> {
  const allowed = m.durations[resolution];
  if (!allowed) return [['resolution', `${m.id} does not make ${resolution} video; it offers ${offeredText(m)}`]];
  if (!allowed.includes(seconds))
    return [
      [
        'duration',
        `${m.id} makes ${seconds} s clips only at ${resolutionsFor(m, seconds) || 'no resolution'}; at ${resolution} it offers ${allowed.join(' or ')} s`,
      ],
    ];
  return [];
}

function resolutionsFor(m: ModelSpec, seconds: number): string {
  return Object.entries(m.durations)
    .filter(([, secs]) => secs?.includes(seconds))
    .map(([res]) => res)
    .join(' or ');
}

/** The list price of one clip, if MiniMax publishes one for the combination. */
export function listPriceUsd(m: ModelSpec, resolution: Resolution, seconds: number): number | undefined {
  return m.priceUsd[`${resolution}/${seconds}`];
}

/** A one-line price list of the models for node descriptions. */
export function priceListText(models: readonly ModelSpec[]): string {
  return models
    .map(
      (m) =>
        `${m.id} ${Object.entries(m.priceUsd)
          .map(([k, v]) => `${k.replace('/', ' ')}s $${v!.toFixed(2)}`)
          .join(', ')}`,
    )
    .join('; ');
}
