import { LazyModel, type PackagedModelSpec } from '../packaged-model.js';

/**
 * M-LSD (Gu et al., "Towards Light-weight and Real-time Line Segment Detection", AAAI 2022) as keijiro's
 * package ships it: PINTO0309's ONNX conversions of the official TFLite models. NHWC input of S×S×4 (RGB
 * in 0..255 and a constant 1; the network normalises itself), two maps at S/2: `scores` (the centre map after
 * its sigmoid and 3×3 max-pool suppression: non-maxima are 0) and `offsets` (per cell, the displacements of the
 * segment's start and end from the cell: dx0, dy0, dx1, dy1, in map cells, y down).
 */
export interface MlsdVariant {
  id: MlsdModelId;
  size: number;
  spec: PackagedModelSpec;
}

export const MLSD_MODEL_IDS = ['tiny_512', 'tiny_320', 'large_512', 'large_320'] as const;
export type MlsdModelId = (typeof MLSD_MODEL_IDS)[number];

const PKG = { pkg: 'jp.keijiro.mlsd', version: '1.0.0', licence: 'Apache-2.0' };

const SHA256: Record<MlsdModelId, string> = {
  tiny_512: '86182f576d4741945c6e9f1b5f6dd308f50745e6b2144fd8e799a4ae6a306d8d',
  tiny_320: '8ed66620ee42e13b814f9d281f21873fe0ffca44261087188384dc4f365440f7',
  large_512: 'c54856d88ff908a2feec230d6cab4714e88e99b692b095bb170042640e20f90d',
  large_320: 'f1d9ee1884ba1b31d7129ea9e6e799989ed214a88268691175ac923d14dd1781',
};

function variant(id: MlsdModelId): MlsdVariant {
  const [kind, s] = id.split('_');
  const size = Number(s);
  return {
    id,
    size,
    spec: { ...PKG, title: `M-LSD ${kind} (${size}x${size})`, file: `ONNX/mlsd_${size}x${size}_${kind}.onnx`, sha256: SHA256[id] },
  };
}

export const MLSD_VARIANTS: Record<MlsdModelId, MlsdVariant> = Object.fromEntries(MLSD_MODEL_IDS.map((id) => [id, variant(id)])) as Record<
  MlsdModelId,
  MlsdVariant
>;

export const MLSD_INPUT = 'input_image_with_alpha:0';
export const MLSD_OUTPUTS = { scores: 'scores', offsets: 'offsets' } as const;

/** One session per variant and process. */
export const mlsdModels: Record<MlsdModelId, LazyModel> = Object.fromEntries(
  MLSD_MODEL_IDS.map((id) => [id, new LazyModel(MLSD_VARIANTS[id].spec)]),
) as Record<MlsdModelId, LazyModel>;
