import { boxBlur, downsample, gaussBlur } from '../filters.js';

/** Per-pixel planes derived from the photo that every later cue needs. */
export interface Cues {
  w: number;
  h: number;
  /** Luma 0..1 at full resolution. */
  luma: Float32Array;
  /** Quarter-resolution planes (qw×qh). */
  qw: number;
  qh: number;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  qluma: Float32Array;
  /** Fine-scale gradient energy (full-res gradients averaged per cell): texture and focus. */
  fine: Float32Array;
  /** Fine energy over coarse energy: near 1 where in focus, low where defocused. */
  focus: Float32Array;
  /** Horizontal vs vertical gradient share (water and horizons are horizontal structures): gy/(gx+gy). */
  horizontalness: Float32Array;
  /** Colour distance from the image's mean colour after a blur (frequency-tuned saliency). */
  saliency: Float32Array;
}

export function computeCues(rgb: Uint8Array, w: number, h: number, q: number): Cues {
  const n = w * h;
  const luma = new Float32Array(n);
  const R = new Float32Array(n);
  const G = new Float32Array(n);
  const B = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = rgb[j] / 255;
    const g = rgb[j + 1] / 255;
    const b = rgb[j + 2] / 255;
    R[i] = r;
    G[i] = g;
    B[i] = b;
    luma[i] = 0.299 * r + 0.587 * g + 0.114 * b;
  }
  // Full-resolution gradients: the finest detail is what tells focus from defocus.
  const gx = new Float32Array(n);
  const gy = new Float32Array(n);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      gx[i] = Math.abs(luma[i + 1] - luma[i - 1]);
      gy[i] = Math.abs(luma[i + w] - luma[i - w]);
    }
  }
  const gsum = new Float32Array(n);
  for (let i = 0; i < n; i++) gsum[i] = gx[i] + gy[i];
  const d = (p: Float32Array) => downsample(p, w, h, q).data;
  const qs = downsample(luma, w, h, q);
  const qw = qs.w;
  const qh = qs.h;
  const fine = boxBlur(d(gsum), qw, qh, 2);
  const qgx = boxBlur(d(gx), qw, qh, 3);
  const qgy = boxBlur(d(gy), qw, qh, 3);
  // Coarse energy: gradients of the quarter-res luma, scaled to the same units.
  const ql = qs.data;
  const coarse = new Float32Array(qw * qh);
  for (let y = 1; y < qh - 1; y++) {
    for (let x = 1; x < qw - 1; x++) {
      const i = y * qw + x;
      coarse[i] = (Math.abs(ql[i + 1] - ql[i - 1]) + Math.abs(ql[i + qw] - ql[i - qw])) / q;
    }
  }
  const coarseB = boxBlur(coarse, qw, qh, 2);
  const focus = new Float32Array(qw * qh);
  const horizontalness = new Float32Array(qw * qh);
  for (let i = 0; i < focus.length; i++) {
    focus[i] = fine[i] / (coarseB[i] * 2 + fine[i] * 0.25 + 0.004);
    horizontalness[i] = qgy[i] / (qgx[i] + qgy[i] + 1e-4);
  }
  const r = d(R);
  const g = d(G);
  const b = d(B);
  const br = gaussBlur(r, qw, qh, 1);
  const bg = gaussBlur(g, qw, qh, 1);
  const bb = gaussBlur(b, qw, qh, 1);
  let mr = 0;
  let mg = 0;
  let mb = 0;
  for (let i = 0; i < r.length; i++) {
    mr += r[i];
    mg += g[i];
    mb += b[i];
  }
  mr /= r.length;
  mg /= r.length;
  mb /= r.length;
  const saliency = new Float32Array(qw * qh);
  for (let i = 0; i < saliency.length; i++) {
    saliency[i] = Math.hypot(br[i] - mr, bg[i] - mg, bb[i] - mb);
  }
  return { w, h, luma, qw, qh, r, g, b, qluma: ql, fine, focus, horizontalness, saliency };
}
