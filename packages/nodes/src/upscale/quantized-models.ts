import type { ActivationRanges, QuantizeOptions } from '../perception/converter/quantize-qdq.js';
import type { BuiltinUpscaleId } from './builtin-models.js';

/**
 * Built-in int8 versions of built-in models, made by the project's quantizer from the converted fp32
 * graph (perception/converter/quantize-qdq.ts). The activation ranges were calibrated once on five test
 * photos (BytheWater, ColdRipple, Kite, Path, EveningGlow at 200 px wide; regenerate with
 * `npm run bench:upscale -- --calibrate slim-x2-int8`) and are kept here, so every machine builds the
 * same file without photos. `keepFloat`: convs left in fp32 because their rounding showed most in the
 * picture (the upsampling tail: int8 there cost 0.5 dB on dark photos) or because integer kernels run
 * them slower (few filters).
 */
export interface QuantizedUpscaleSpec {
  id: string;
  /** The fp32 built-in it is made from. */
  base: BuiltinUpscaleId;
  options: QuantizeOptions;
  ranges: ActivationRanges;
  /** Photos the ranges were calibrated on (names in .testdata/photos). */
  calibration: string[];
}

export const QUANTIZED_UPSCALE_MODELS: readonly QuantizedUpscaleSpec[] = [
  {
    id: 'slim-x2-int8',
    base: 'slim-x2',
    options: { keepFloat: ['GFF_2', 'UPN2', 'UPN3', 'SR'] },
    calibration: ['BytheWater.jpg', 'ColdRipple.jpg', 'Kite.jpg', 'Path.jpg', 'EveningGlow.jpg'],
    // prettier-ignore
    ranges: { 'LR/nchw': [0, 255], 'F_m1': [-102.091, 97.8989], 'F_0': [-114.202, 97.4559], 'F_1_1_Relu': [0, 282.358], 'RDB_Concat_1_1': [-114.202, 282.358],
      'LFF_1': [-47.9755, 60.8931], 'LRL_1': [-123.019, 117.391], 'F_2_1_Relu': [0, 177.119], 'RDB_Concat_2_1': [-123.019, 177.119], 'LFF_2': [-46.2267, 44.8504],
      'LRLs_Concat': [-138.391, 131.095], 'GFF_1': [-136.189, 137.866], 'FDF': [-350.563, 268.839], 'UPN1_Relu': [0, 623.02],
      'LRL_2': [-138.391, 131.095] },
  },
];

export function quantizedUpscaleSpec(id: string): QuantizedUpscaleSpec | undefined {
  return QUANTIZED_UPSCALE_MODELS.find((m) => m.id === id);
}
