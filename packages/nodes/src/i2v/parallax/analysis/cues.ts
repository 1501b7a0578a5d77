import { boxBlur, gaussBlur } from '../filters.js';
import { distance3 } from './distance.js';
import { total } from './stats.js';

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
  /** Coarse-scale gradient energy (luma differences across cells, blurred): structure, sharp or blurred. */
  coarse: Float32Array;
  /** Horizontal vs vertical gradient share (water and horizons are horizontal structures): gy/(gx+gy). */
  horizontalness: Float32Array;
  /** Colour distance from the image's mean colour after a blur (frequency-tuned saliency). */
  saliency: Float32Array;
}

export function computeCues(rgb: Uint8Array, w: number, h: number, q: number): Cues {
  const n = w * h;
  const qw = Math.max(1, Math.ceil(w / q));
  const qh = Math.max(1, Math.ceil(h / q));
  // Quarter-resolution means are summed straight from the pixels (float32 sums in pixel order: the same
  // numbers as down-sampling full-resolution planes), so no full-resolution colour or gradient plane is kept.
  const luma = new Float32Array(n);
  const r = new Float32Array(qw * qh);
  const g = new Float32Array(qw * qh);
  const b = new Float32Array(qw * qh);
  const ql = new Float32Array(qw * qh);
  // Per byte value: v/255 (as a float32 plane would hold it) and the luma terms (the same doubles as computed).
  const unit = new Float32Array(256);
  const lr = new Float64Array(256);
  const lg = new Float64Array(256);
  const lb = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    unit[v] = v / 255;
    lr[v] = 0.299 * (v / 255);
    lg[v] = 0.587 * (v / 255);
    lb[v] = 0.114 * (v / 255);
  }
  // Full-resolution gradients: the finest detail is what tells focus from defocus (0 on the border rows and
  // columns). A row's gradients follow once the row below has its luma: one pass over the photo.
  const sgx = new Float32Array(qw * qh);
  const sgy = new Float32Array(qw * qh);
  const sgsum = new Float32Array(qw * qh);
  for (let y = 0; y < h; y++) {
    colourRow(rgb, y * w, w, q, ((y / q) | 0) * qw, unit, lr, lg, lb, luma, r, g, b, ql);
    if (y >= 2) gradientRow(luma, (y - 1) * w, w, q, (((y - 1) / q) | 0) * qw, sgx, sgy, sgsum);
  }
  const cnt = new Float32Array(qw * qh);
  for (let cy = 0; cy < qh; cy++) {
    const rows = Math.min(q, h - cy * q);
    for (let cx = 0; cx < qw; cx++) cnt[cy * qw + cx] = rows * Math.min(q, w - cx * q);
  }
  for (const sum of [r, g, b, ql, sgx, sgy, sgsum]) divide(sum, cnt);
  const fine = boxBlur(sgsum, qw, qh, 2);
  const qgx = boxBlur(sgx, qw, qh, 3);
  const qgy = boxBlur(sgy, qw, qh, 3);
  // Coarse energy: gradients of the quarter-res luma, scaled to the same units.
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
  const br = gaussBlur(r, qw, qh, 1);
  const bg = gaussBlur(g, qw, qh, 1);
  const bb = gaussBlur(b, qw, qh, 1);
  const mr = total(r) / r.length;
  const mg = total(g) / r.length;
  const mb = total(b) / r.length;
  const saliency = new Float32Array(qw * qh);
  for (let i = 0; i < saliency.length; i++) saliency[i] = distance3(br[i] - mr, bg[i] - mg, bb[i] - mb);
  return { w, h, luma, qw, qh, r, g, b, qluma: ql, fine, focus, coarse: coarseB, horizontalness, saliency };
}

/**
 * One photo row (pixels from i0): luma, and the row's colour and luma added to its cells (from `cells`).
 * Each cell's running float32 sums stay in registers over its q pixels (the same roundings, in the same
 * order, as adding pixel by pixel into the stored sums).
 */
function colourRow(
  rgb: Uint8Array,
  i0: number,
  w: number,
  q: number,
  cells: number,
  unit: Float32Array,
  lr: Float64Array,
  lg: Float64Array,
  lb: Float64Array,
  luma: Float32Array,
  r: Float32Array,
  g: Float32Array,
  b: Float32Array,
  ql: Float32Array,
): void {
  for (let x0 = 0, o = cells; x0 < w; x0 += q, o++) {
    let sr = r[o];
    let sg = g[o];
    let sb = b[o];
    let sl = ql[o];
    const end = x0 + q < w ? x0 + q : w;
    for (let i = i0 + x0; i < i0 + end; i++) {
      const R = rgb[i * 3];
      const G = rgb[i * 3 + 1];
      const B = rgb[i * 3 + 2];
      const l = Math.fround(lr[R] + lg[G] + lb[B]);
      luma[i] = l;
      sr = Math.fround(sr + unit[R]);
      sg = Math.fround(sg + unit[G]);
      sb = Math.fround(sb + unit[B]);
      sl = Math.fround(sl + l);
    }
    r[o] = sr;
    g[o] = sg;
    b[o] = sb;
    ql[o] = sl;
  }
}

/**
 * Central differences of one luma row (from i0, not a border row) added to its cells: |gx|, |gy|, their
 * sum (border columns add 0). Sums per cell in registers, as in colourRow.
 */
function gradientRow(
  luma: Float32Array,
  i0: number,
  w: number,
  q: number,
  cells: number,
  sgx: Float32Array,
  sgy: Float32Array,
  sgsum: Float32Array,
): void {
  for (let x0 = 0, o = cells; x0 < w; x0 += q, o++) {
    let sx = sgx[o];
    let sy = sgy[o];
    let ss = sgsum[o];
    const from = x0 > 1 ? x0 : 1;
    const end = x0 + q < w - 1 ? x0 + q : w - 1;
    for (let i = i0 + from; i < i0 + end; i++) {
      const gx = Math.fround(Math.abs(luma[i + 1] - luma[i - 1]));
      const gy = Math.fround(Math.abs(luma[i + w] - luma[i - w]));
      sx = Math.fround(sx + gx);
      sy = Math.fround(sy + gy);
      ss = Math.fround(ss + Math.fround(gx + gy));
    }
    sgx[o] = sx;
    sgy[o] = sy;
    sgsum[o] = ss;
  }
}

function divide(sum: Float32Array, cnt: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i] /= cnt[i];
}
