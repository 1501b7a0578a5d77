import type { Logger } from '@kinegraph/graph-core';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { ImageValue } from '../../values/image.js';
import { decodeSegments } from './decode.js';
import { SEGMENT_STRIDE } from './lines-value.js';
import { MLSD_INPUT, MLSD_OUTPUTS, MLSD_VARIANTS, mlsdModels, type MlsdModelId } from './mlsd-model.js';

export interface DetectLinesOptions {
  model: MlsdModelId;
  /** Minimum centre score (the M-LSD demo's score_thr: 0.1). */
  threshold: number;
  /** Minimum length as a share of the picture's diagonal. */
  minLength: number;
  maxLines: number;
  log?: Logger;
}

export interface DetectLinesResult {
  /** x0, y0, x1, y1, score per segment in picture pixels, longest first. */
  segments: Float32Array;
  timings: { preprocess: number; inference: number; decode: number };
}

/**
 * M-LSD on the whole picture: stretched to the network's square (as the M-LSD demo and keijiro's shader do;
 * area-averaged when shrinking, like the demo's INTER_AREA), RGB in 0..255 plus a constant fourth channel of 1.
 */
export async function detectLines(image: ImageValue, o: DetectLinesOptions): Promise<DetectLinesResult> {
  const v = MLSD_VARIANTS[o.model];
  const { session } = await mlsdModels[o.model].get(o.log);
  const t0 = performance.now();
  const S = v.size;
  const small = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(S, S, { fit: 'fill', kernel: image.width >= S && image.height >= S ? 'mitchell' : 'cubic' })
    .raw()
    .toBuffer();
  const input = new Float32Array(S * S * 4);
  for (let i = 0, j = 0; i < S * S; i++, j += 3) {
    input[i * 4] = small[j];
    input[i * 4 + 1] = small[j + 1];
    input[i * 4 + 2] = small[j + 2];
    input[i * 4 + 3] = 1;
  }
  const t1 = performance.now();
  const out = await session.run({ [MLSD_INPUT]: new ort.Tensor('float32', input, [1, S, S, 4]) });
  const t2 = performance.now();
  const map = S / 2;
  const diag = Math.hypot(image.width, image.height);
  // Length threshold in map cells of the shorter picture side's scale (the stretch differs per axis; checked again after).
  const unit = decodeSegments(
    out[MLSD_OUTPUTS.scores].data as Float32Array,
    out[MLSD_OUTPUTS.offsets].data as Float32Array,
    map,
    o.threshold,
    2,
  );
  const kept: Array<{ s: number[]; len: number }> = [];
  for (let k = 0; k < unit.length; k += SEGMENT_STRIDE) {
    const s = clip(
      [unit[k] * image.width, unit[k + 1] * image.height, unit[k + 2] * image.width, unit[k + 3] * image.height, unit[k + 4]],
      image.width,
      image.height,
    );
    if (!s) continue;
    const len = Math.hypot(s[2] - s[0], s[3] - s[1]);
    if (len >= o.minLength * diag) kept.push({ s, len });
  }
  // Longest first; equal lengths by score then position, so the order never depends on anything but the maps.
  kept.sort((a, b) => b.len - a.len || b.s[4] - a.s[4] || a.s[1] - b.s[1] || a.s[0] - b.s[0]);
  const segments = Float32Array.from(kept.slice(0, o.maxLines).flatMap((k) => k.s));
  const t3 = performance.now();
  return { segments, timings: { preprocess: t1 - t0, inference: t2 - t1, decode: t3 - t2 } };
}

/** The segment clipped to the picture [0, w] x [0, h] (Liang-Barsky; M-LSD extrapolates some past the edge), or undefined. */
function clip(s: number[], w: number, h: number): number[] | undefined {
  const [x0, y0, x1, y1] = s;
  const dx = x1 - x0;
  const dy = y1 - y0;
  let a = 0;
  let b = 1;
  for (const [p, q] of [
    [-dx, x0],
    [dx, w - x0],
    [-dy, y0],
    [dy, h - y0],
  ]) {
    if (p === 0) {
      if (q < 0) return undefined;
    } else if (p < 0) a = Math.max(a, q / p);
    else b = Math.min(b, q / p);
  }
  if (a >= b) return undefined;
  // Clamped as well: x0 + a·dx can land a rounding error past the edge (−1e-13 is still below 0 as a float32).
  const cx = (v: number) => Math.min(w, Math.max(0, v));
  const cy = (v: number) => Math.min(h, Math.max(0, v));
  return [cx(x0 + a * dx), cy(y0 + a * dy), cx(x0 + b * dx), cy(y0 + b * dy), s[4]];
}
