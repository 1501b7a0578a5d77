/** Separable box filters on Float32 planes: the building block for blurs, local means and feathering. */

/** One horizontal + one vertical box pass of radius r (clamped edges). Returns a new plane. */
export function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  if (r < 1) return src.slice();
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  boxH(src, tmp, w, h, r);
  boxV(tmp, out, w, h, r);
  return out;
}

/** Approximate Gaussian of sigma ≈ r·0.8 (three box passes). */
export function gaussBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  if (r < 1) return src.slice();
  // The three blurs ping-pong between two planes (the same passes as three boxBlur calls).
  const a = new Float32Array(w * h);
  const b = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  boxH(src, a, w, h, r);
  boxV(a, b, w, h, r);
  boxH(b, a, w, h, r);
  boxV(a, out, w, h, r);
  boxH(out, a, w, h, r);
  boxV(a, b, w, h, r);
  return b;
}

function boxH(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  for (let y = 0; y < h; y++) boxRow(src, y * w, dst, y * w, w, r);
}

/**
 * Horizontal box of radius r over one row of w values (src from `so`, dst from `d`), clamped edges.
 * The clamped ends are looped apart from the interior, so the hot loop has no index clamping (same sums in
 * the same order: the same bytes as the plain loop).
 */
export function boxRow(src: Float32Array, so: number, dst: Float32Array, d: number, w: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const last = w - 1;
  // Interior: x - r >= 0 and x + r + 1 <= w - 1.
  const a = Math.min(w, r + 1);
  const b = Math.max(a, w - r - 1);
  let acc = src[so] * (r + 1);
  for (let i = 1; i <= r; i++) acc += src[so + (i < last ? i : last)];
  let x = 0;
  for (; x < a; x++) {
    dst[d + x] = acc * inv;
    const add = x + r + 1;
    acc += src[so + (add < last ? add : last)] - src[so + (x > r ? x - r : 0)];
  }
  for (let i = so + x, o = d + x, end = d + b; o < end; o++, i++) {
    dst[o] = acc * inv;
    acc += src[i + r + 1] - src[i - r];
  }
  for (x = b; x < w; x++) {
    dst[d + x] = acc * inv;
    const add = x + r + 1;
    acc += src[so + (add < last ? add : last)] - src[so + (x > r ? x - r : 0)];
  }
}

function boxV(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const column = new ColumnBox(src, w, h, r);
  for (let y = 0; y < h; y++) column.next(dst, y * w);
}

/**
 * Vertical box of radius r (clamped edges) as running column sums: one output row per `next`, top to bottom.
 * With `ring` > 0, src holds only `ring` rows, row k at slot k % ring (rows are produced just ahead of use:
 * row min(y + r + 1, h - 1) must be there for output row y, and the r + 1 rows before the first call).
 */
export class ColumnBox {
  private readonly acc: Float32Array;
  private readonly inv: number;
  private y = 0;

  constructor(
    private readonly src: Float32Array,
    private readonly w: number,
    private readonly h: number,
    private readonly r: number,
    private readonly ring = 0,
  ) {
    this.inv = 1 / (2 * r + 1);
    const acc = new Float32Array(w);
    for (let x = 0; x < w; x++) acc[x] = src[x] * (r + 1);
    for (let i = 1; i <= r; i++) {
      const row = this.offset(Math.min(i, h - 1));
      for (let x = 0; x < w; x++) acc[x] += src[row + x];
    }
    this.acc = acc;
  }

  /** Writes the next row's w values into dst from `d`. */
  next(dst: Float32Array, d: number): void {
    const { acc, src, w, h, r, inv, y } = this;
    const add = this.offset(Math.min(y + r + 1, h - 1));
    const sub = this.offset(Math.max(y - r, 0));
    for (let x = 0; x < w; x++) {
      dst[d + x] = acc[x] * inv;
      acc[x] += src[add + x] - src[sub + x];
    }
    this.y = y + 1;
  }

  private offset(row: number): number {
    return (this.ring > 0 ? row % this.ring : row) * this.w;
  }
}

/** Resamples a plane to a new size (bilinear, pixel centres aligned). */
export function resizePlane(src: Float32Array, w: number, h: number, ow: number, oh: number): Float32Array {
  return resizeWindow(src, w, h, ow, oh, [0, 0, ow, oh]);
}

/** The window [x0, y0, x1, y1) of `resizePlane(src, w, h, ow, oh)`, computed alone (same numbers). */
export function resizeWindow(
  src: Float32Array,
  w: number,
  h: number,
  ow: number,
  oh: number,
  box: [number, number, number, number],
): Float32Array {
  const [bx0, by0, bx1, by1] = box;
  const bw = bx1 - bx0;
  const out = new Float32Array(bw * (by1 - by0));
  const sx = w / ow;
  const sy = h / oh;
  // Per column: the two source columns and the weight (what sampleBilinear works out per pixel).
  const x0s = new Int32Array(bw);
  const x1s = new Int32Array(bw);
  const fxs = new Float64Array(bw);
  for (let i = 0; i < bw; i++) {
    let fx = (bx0 + i + 0.5) * sx - 0.5;
    if (fx < 0) fx = 0;
    else if (fx > w - 1) fx = w - 1;
    const x0 = fx | 0;
    x0s[i] = x0;
    x1s[i] = x0 + 1 < w ? x0 + 1 : x0;
    fxs[i] = fx - x0;
  }
  for (let y = by0; y < by1; y++) {
    let fy = (y + 0.5) * sy - 0.5;
    if (fy < 0) fy = 0;
    else if (fy > h - 1) fy = h - 1;
    const y0 = fy | 0;
    const r0 = y0 * w;
    const r1 = (y0 + 1 < h ? y0 + 1 : y0) * w;
    const ty = fy - y0;
    bilinearRow(src, r0, r1, ty, x0s, x1s, fxs, out, (y - by0) * bw);
  }
  return out;
}

/** One output row (from o) sampled between source rows r0 and r1 (weight ty), columns as precomputed. */
function bilinearRow(
  src: Float32Array,
  r0: number,
  r1: number,
  ty: number,
  x0s: Int32Array,
  x1s: Int32Array,
  fxs: Float64Array,
  out: Float32Array,
  o: number,
): void {
  for (let i = 0; i < x0s.length; i++) {
    const x0 = x0s[i];
    const x1 = x1s[i];
    const fx = fxs[i];
    const a = src[r0 + x0] + (src[r0 + x1] - src[r0 + x0]) * fx;
    const b = src[r1 + x0] + (src[r1 + x1] - src[r1 + x0]) * fx;
    out[o + i] = a + (b - a) * ty;
  }
}

/** Linear remap so that the p-th and (1-p)-th percentiles go to 0 and 1, clamped. */
export function normalizeRobust(src: Float32Array, p = 0.02): Float32Array {
  const sample = src.length > 40000 ? strided(src, Math.ceil(src.length / 40000)) : src.slice();
  // The two order statistics of the sorted sample, selected in place (no full sort).
  const kLo = Math.floor(p * (sample.length - 1));
  const kHi = Math.floor((1 - p) * (sample.length - 1));
  const lo = select(sample, kLo, 0, sample.length - 1);
  const hi = kHi >= kLo ? select(sample, kHi, kLo, sample.length - 1) : select(sample, kHi, 0, kLo);
  const span = hi - lo > 1e-9 ? hi - lo : 1;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = (src[i] - lo) / span;
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}

/**
 * The value at index k of a sorted a[from..to] (Hoare's selection, median-of-three pivots); reorders
 * a[from..to] so that a[k] is that value, smaller ones before it and larger ones after.
 */
function select(a: Float32Array, k: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot, kept in a[mid].
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function strided(src: Float32Array, step: number): Float32Array {
  const out = new Float32Array(Math.floor(src.length / step));
  for (let i = 0; i < out.length; i++) out[i] = src[i * step];
  return out;
}

export function smoothstep(e0: number, e1: number, x: number): number {
  // Clamped with comparisons, not Math.min/max: same values, and several times faster in the hot loops.
  let t = (x - e0) / (e1 - e0);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return t * t * (3 - 2 * t);
}
