import * as ort from 'onnxruntime-node';
import { calibrationModel, type ActivationRanges, type QuantizeOptions } from './quantize-qdq.js';

/** An NHWC float picture on the network's own input scale. */
export interface CalibrationPicture {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * The [min, max] each quantized activation takes over real pictures (min/max calibration: outliers
 * clipped by a percentile cost more on photos with bright highlights than they gain elsewhere, measured).
 */
export async function calibrateRanges(
  fp32: Uint8Array,
  pictures: CalibrationPicture[],
  options: QuantizeOptions = {},
): Promise<ActivationRanges> {
  const { onnx, targets } = calibrationModel(fp32, options);
  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['cpu'], graphOptimizationLevel: 'basic' });
  const ranges: ActivationRanges = {};
  try {
    for (const p of pictures) {
      const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', p.data, [1, p.height, p.width, 3]) }, targets);
      for (const t of targets) {
        const d = result[t].data as Float32Array;
        const r = (ranges[t] ??= [Infinity, -Infinity]);
        for (let i = 0; i < d.length; i++) {
          if (d[i] < r[0]) r[0] = d[i];
          if (d[i] > r[1]) r[1] = d[i];
        }
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}
