import { boxBlur } from '../filters.js';

/** Running estimates over the hole's box: colour sums and the weight behind them. */
interface Estimates {
  acc: Float32Array[];
  wsum: Float32Array;
}

/** One line of the photo (a row or a column): pixel m is `first + m·step`, box index `boxFirst + m·boxStep`. */
interface Line {
  first: number;
  step: number;
  count: number;
  boxFirst: number;
  boxStep: number;
}

/**
 * Fills the hole behind the subject by interpolating along rows and columns between the nearest known
 * pixels on either side (each run weighted by how short it is, the more local guess), then softens it.
 * Keeps the colours of the hole's own surroundings row by row, where a pyramid fill averages them into one
 * blob. `hole` (w×h) is 1 where the photo is unusable, all of it inside `box` [x0, y0, x1, y1). The photo sits
 * on a canvas with `pad` unknown pixels on every side, which lengthen the runs that reach the photo's edge.
 * Returns planar RGB over the box; only its hole pixels are meaningful.
 */
export function scanlineFill(
  rgb: Uint8Array,
  hole: Uint8Array,
  w: number,
  h: number,
  pad: number,
  box: [number, number, number, number],
): Float32Array[] {
  const [x0, y0, x1, y1] = box;
  const bw = x1 - x0;
  const bh = y1 - y0;
  const est: Estimates = {
    acc: [new Float32Array(bw * bh), new Float32Array(bw * bh), new Float32Array(bw * bh)],
    wsum: new Float32Array(bw * bh),
  };
  if (bw <= 0 || bh <= 0) return est.acc;
  const ends = new Float64Array(6);
  for (let y = y0; y < y1; y++) {
    fillLine(est, rgb, hole, pad, { first: y * w, step: 1, count: w, boxFirst: (y - y0) * bw - x0, boxStep: 1 }, x0, x1, ends);
  }
  for (let x = x0; x < x1; x++) {
    fillLine(est, rgb, hole, pad, { first: x, step: w, count: h, boxFirst: x - x0 - y0 * bw, boxStep: bw }, y0, y1, ends);
  }
  const { acc, wsum } = est;
  return acc.map((p, c) => {
    for (let y = 0; y < bh; y++) normalizeRow(p, wsum, y * bw, bw, rgb, ((y0 + y) * w + x0) * 3 + c);
    return boxBlur(p, bw, bh, 2);
  });
}

/** Weighted sums to means; pixels no run reached keep the photo's value (channel bytes from `src`, stride 3). */
function normalizeRow(p: Float32Array, wsum: Float32Array, i0: number, n: number, rgb: Uint8Array, src: number): void {
  for (let x = 0, i = i0; x < n; x++, i++) p[i] = wsum[i] > 0 ? p[i] / wsum[i] : rgb[src + x * 3];
}

/** Walks positions [m0, m1) of a line: each run of hole pixels gets the interpolation between its ends. */
function fillLine(
  est: Estimates,
  rgb: Uint8Array,
  hole: Uint8Array,
  pad: number,
  line: Line,
  m0: number,
  m1: number,
  ends: Float64Array,
): void {
  const { first, step, count, boxFirst, boxStep } = line;
  const [acc0, acc1, acc2] = est.acc;
  const wsum = est.wsum;
  let m = m0;
  while (m < m1) {
    if (!hole[first + m * step]) {
      m++;
      continue;
    }
    const s = m;
    while (m < m1 && hole[first + m * step]) m++;
    const hasLeft = s > 0;
    const hasRight = m < count;
    if (!hasLeft && !hasRight) continue;
    // Unknown canvas margin continues the run beyond the photo's edge.
    const len = m - s + 1 + (hasLeft ? 0 : pad) + (hasRight ? 0 : pad);
    const wgt = 1 / len;
    // ends[0..2]: colour at the run's start, ends[3..5]: at its end (one side repeated when the other is the
    // edge). Both always computed, no rarely taken branch: those cost the optimized code a bailout.
    const startAt = hasLeft ? s - 1 : m;
    const startDir = hasLeft ? -1 : 1;
    knownMean(rgb, hole, first, step, count, startAt, startDir, ends, 0);
    knownMean(rgb, hole, first, step, count, hasRight ? m : startAt, hasRight ? 1 : startDir, ends, 3);
    const a0 = ends[0];
    const a1 = ends[1];
    const a2 = ends[2];
    const d0 = ends[3] - a0;
    const d1 = ends[4] - a1;
    const d2 = ends[5] - a2;
    const shift = hasLeft ? 0 : pad;
    for (let k = s; k < m; k++) {
      const o = boxFirst + k * boxStep;
      const t = (k - s + 1 + shift) / len;
      acc0[o] += (a0 + d0 * t) * wgt;
      acc1[o] += (a1 + d1 * t) * wgt;
      acc2[o] += (a2 + d2 * t) * wgt;
      wsum[o] += wgt;
    }
  }
}

/** Mean colour of up to three known pixels going outwards from line position m (dir ±1): less noise than one. */
function knownMean(
  rgb: Uint8Array,
  hole: Uint8Array,
  first: number,
  step: number,
  count: number,
  m: number,
  dir: number,
  out: Float64Array,
  at: number,
): void {
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let k = 0; k < 3 && m >= 0 && m < count; k++, m += dir) {
    const i = first + m * step;
    if (hole[i]) continue;
    r += rgb[i * 3];
    g += rgb[i * 3 + 1];
    b += rgb[i * 3 + 2];
    n++;
  }
  out[at] = r / n;
  out[at + 1] = g / n;
  out[at + 2] = b / n;
}
