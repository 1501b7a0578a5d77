import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { MASK } from '../sockets.js';
import { MaskValue } from '../values/mask.js';
import { distanceTo } from './distance.js';
import { maskInput } from './mask-input.js';

/**
 * Grows (pixels > 0) or shrinks (pixels < 0) the mask by a true Euclidean distance, so corners stay round
 * whatever the amount, in time independent of it. The boundary is the 0.5 level; the new edge is
 * anti-aliased over one pixel, and soft values of the original survive where they are further in
 * (growing keeps the max, shrinking the min of the original and the moved edge).
 */
export function growMask(m: MaskValue, pixels: number): MaskValue {
  if (pixels === 0) return m;
  const n = m.data.length;
  const seed = new Uint8Array(n);
  const grow = pixels > 0;
  const r = Math.abs(pixels);
  for (let i = 0; i < n; i++) seed[i] = grow ? (m.data[i] >= 0.5 ? 1 : 0) : m.data[i] < 0.5 ? 1 : 0;
  const dist = distanceTo(seed, m.width, m.height);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = m.data[i];
    if (grow) {
      const edge = Math.min(1, Math.max(0, r + 1 - dist[i]));
      out[i] = v > edge ? v : edge;
    } else {
      const edge = Math.min(1, Math.max(0, dist[i] - r));
      out[i] = v < edge ? v : edge;
    }
  }
  return new MaskValue(m.width, m.height, out);
}

export const GrowMask = defineNode({
  type: 'GrowMask',
  category: 'mask',
  title: 'Grow Mask',
  description: 'Grows the mask outwards by a number of pixels (negative: shrinks it), with round corners and an anti-aliased edge.',
  version: 1,
  inputs: { mask: input(MASK) },
  outputs: { mask: output(MASK) },
  params: {
    pixels: p.int({ default: 8, min: -1024, max: 1024, label: 'Pixels', description: 'Positive grows, negative shrinks' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs, params) {
    return { mask: growMask(maskInput(inputs.mask), params.pixels) };
  },
});
