import type { Logger } from '@kinegraph/graph-core';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { ImageValue } from '../../values/image.js';
import type { LazyModel } from '../packaged-model.js';
import { U2NETP_INPUT, U2NETP_OUTPUT, U2NETP_SIZE, u2netpModel } from './u2netp-model.js';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * U²-Net-p's saliency at 320x320 (row-major), preprocessed and normalised as rembg does: the photo
 * squeezed to 320², RGB divided by its maximum, ImageNet mean and std; d0 min-max normalised to [0, 1]
 * (U²-Net's own test script does the same: its sigmoid output rarely spans the full range).
 */
export async function salientProbabilities(image: ImageValue, log?: Logger, model: LazyModel = u2netpModel): Promise<Float32Array> {
  const { session } = await model.get(log);
  const n = U2NETP_SIZE * U2NETP_SIZE;
  const raw = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(U2NETP_SIZE, U2NETP_SIZE, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  let max = 1;
  for (const v of raw) if (v > max) max = v;
  const input = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) input[c * n + i] = (raw[i * 3 + c] / max - MEAN[c]) / STD[c];
  const out = await session.run({ [U2NETP_INPUT]: new ort.Tensor('float32', input, [1, 3, U2NETP_SIZE, U2NETP_SIZE]) });
  const d0 = out[U2NETP_OUTPUT].data as Float32Array;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (d0[i] < lo) lo = d0[i];
    if (d0[i] > hi) hi = d0[i];
  }
  const range = hi - lo || 1;
  const prob = new Float32Array(n);
  for (let i = 0; i < n; i++) prob[i] = (d0[i] - lo) / range;
  return prob;
}
