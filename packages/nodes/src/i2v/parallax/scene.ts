import { LatentValue } from '../../values/latent.js';
import type { Tensor } from '../../values/tensor.js';

export const SCENE_FAMILY = 'parallax';
export const VIDEO_FAMILY = 'parallax-video';
/** Ambient-motion region masks, in this order in the `masks` tensor. */
export const REGION_NAMES = ['sky', 'water', 'vegetation', 'haze', 'highlight'] as const;
export type RegionName = (typeof REGION_NAMES)[number];

/**
 * The analysed photo: what the built-in model's VAE.encode produces and its renderer reads.
 * Full-resolution layers: `rgb` (the photo) and `matte` (subject alpha, the near layer); `background`
 * (the photo with the subject removed and the frame extended by `pad` on every side).
 * Quarter-resolution fields over the padded canvas (`qw`×`qh`, 1 cell = `q` px): `depth` (background
 * depth, 1 = focal plane), `masks` (ambient regions), `detail` (local texture energy).
 */
export interface ParallaxScene {
  width: number;
  height: number;
  pad: number;
  q: number;
  qw: number;
  qh: number;
  rgb: Uint8Array;
  matte: Uint8Array;
  /** Subject colours with the old background removed at the soft edge (video latents; else `rgb` is used). */
  foreground?: Uint8Array;
  background: Uint8Array;
  /** 255 where the background was synthesized (behind the subject, beyond the frame). */
  unknown: Uint8Array;
  depth: Float32Array;
  masks: Float32Array;
  detail: Float32Array;
  /** Depth of the subject layer (a plane); 0 when there is no subject. */
  subjectDepth: number;
  /** Subject bounding box in photo pixels [x0, y0, x1, y1]. */
  subjectBox: [number, number, number, number];
  /** Face boxes on the subject [x0, y0, x1, y1] (v2, from the face detector): kept rigid. */
  faces?: Array<[number, number, number, number]>;
  /** The subject layer is a person (v2: the learned matte). */
  person?: boolean;
  /** v2: where ambient motion holds still (1 on people, easing to 0 around them), quarter resolution like `depth`. */
  still?: Float32Array;
  /** Motion Brush weights (0..1), one quarter-resolution plane like `depth` per brush of the plan's `ambient.brushes`. */
  brush?: Float32Array;
  /** Row where the sky ends (fraction of height). */
  horizon: number;
  /** What the analysis found, in words and numbers, for the UI and tests. */
  stats: Record<string, number | string | boolean>;
}

const u8 = (shape: number[], data: Uint8Array): Tensor => ({ dtype: 'uint8', shape, data });
const f32 = (shape: number[], data: Float32Array): Tensor => ({ dtype: 'float32', shape, data });

export function sceneToLatent(s: ParallaxScene, family = SCENE_FAMILY, extraMeta: Record<string, unknown> = {}): LatentValue {
  const pw = s.width + 2 * s.pad;
  const ph = s.height + 2 * s.pad;
  return new LatentValue(
    family,
    {
      rgb: u8([s.height, s.width, 3], s.rgb),
      matte: u8([s.height, s.width], s.matte),
      background: u8([ph, pw, 3], s.background),
      unknown: u8([ph, pw], s.unknown),
      depth: f32([s.qh, s.qw], s.depth),
      masks: f32([REGION_NAMES.length, s.qh, s.qw], s.masks),
      detail: f32([s.qh, s.qw], s.detail),
      ...(s.still ? { still: f32([s.qh, s.qw], s.still) } : {}),
      ...(s.brush ? { brush: f32([s.brush.length / (s.qw * s.qh), s.qh, s.qw], s.brush) } : {}),
    },
    {
      width: s.width,
      height: s.height,
      pad: s.pad,
      q: s.q,
      subjectDepth: s.subjectDepth,
      subjectBox: s.subjectBox,
      ...(s.faces ? { faces: s.faces } : {}),
      ...(s.person ? { person: true } : {}),
      horizon: s.horizon,
      regions: [...REGION_NAMES],
      stats: s.stats,
      ...extraMeta,
    },
  );
}

export function latentToScene(l: LatentValue): ParallaxScene {
  const m = l.meta as Record<string, any>;
  const t = l.tensors;
  for (const name of ['rgb', 'matte', 'background', 'unknown', 'depth', 'masks', 'detail']) {
    if (!t[name]) throw new Error(`LATENT is missing "${name}": not a parallax latent`);
  }
  return {
    width: m.width,
    height: m.height,
    pad: m.pad,
    q: m.q,
    qw: t.depth.shape[1],
    qh: t.depth.shape[0],
    rgb: t.rgb.data as Uint8Array,
    foreground: t.foreground?.data as Uint8Array | undefined,
    matte: t.matte.data as Uint8Array,
    background: t.background.data as Uint8Array,
    unknown: t.unknown.data as Uint8Array,
    depth: t.depth.data as Float32Array,
    masks: t.masks.data as Float32Array,
    detail: t.detail.data as Float32Array,
    ...(t.still ? { still: t.still.data as Float32Array } : {}),
    ...(t.brush ? { brush: t.brush.data as Float32Array } : {}),
    subjectDepth: m.subjectDepth,
    subjectBox: m.subjectBox,
    ...(m.faces ? { faces: m.faces } : {}),
    ...(m.person ? { person: true } : {}),
    horizon: m.horizon,
    stats: m.stats ?? {},
  };
}
