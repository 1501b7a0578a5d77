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
  let a = boxBlur(src, w, h, r);
  a = boxBlur(a, w, h, r);
  return boxBlur(a, w, h, r);
}

function boxH(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = src[row] * (r + 1);
    for (let i = 1; i <= r; i++) acc += src[row + Math.min(i, w - 1)];
    for (let x = 0; x < w; x++) {
      dst[row + x] = acc * inv;
      acc += src[row + Math.min(x + r + 1, w - 1)] - src[row + Math.max(x - r, 0)];
    }
  }
}

function boxV(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const inv = 1 / (2 * r + 1);
  const acc = new Float32Array(w);
  for (let x = 0; x < w; x++) acc[x] = src[x] * (r + 1);
  for (let i = 1; i <= r; i++) {
    const row = Math.min(i, h - 1) * w;
    for (let x = 0; x < w; x++) acc[x] += src[row + x];
  }
  for (let y = 0; y < h; y++) {
    const out = y * w;
    const add = Math.min(y + r + 1, h - 1) * w;
    const sub = Math.max(y - r, 0) * w;
    for (let x = 0; x < w; x++) {
      dst[out + x] = acc[x] * inv;
      acc[x] += src[add + x] - src[sub + x];
    }
  }
}

/** Down-samples a plane by an integer factor (box average). */
export function downsample(src: Float32Array, w: number, h: number, f: number): { data: Float32Array; w: number; h: number } {
  const ow = Math.max(1, Math.ceil(w / f));
  const oh = Math.max(1, Math.ceil(h / f));
  const out = new Float32Array(ow * oh);
  const cnt = new Float32Array(ow * oh);
  for (let y = 0; y < h; y++) {
    const oy = ((y / f) | 0) * ow;
    for (let x = 0; x < w; x++) {
      const o = oy + ((x / f) | 0);
      out[o] += src[y * w + x];
      cnt[o]++;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= cnt[i];
  return { data: out, w: ow, h: oh };
}

/** Bilinear sample of a plane at continuous pixel coordinates (clamped). */
export function sampleBilinear(src: Float32Array, w: number, h: number, x: number, y: number): number {
  if (x < 0) x = 0;
  else if (x > w - 1) x = w - 1;
  if (y < 0) y = 0;
  else if (y > h - 1) y = h - 1;
  const x0 = x | 0;
  const y0 = y | 0;
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = x - x0;
  const fy = y - y0;
  const a = src[y0 * w + x0] + (src[y0 * w + x1] - src[y0 * w + x0]) * fx;
  const b = src[y1 * w + x0] + (src[y1 * w + x1] - src[y1 * w + x0]) * fx;
  return a + (b - a) * fy;
}

/** Resamples a plane to a new size (bilinear, pixel centres aligned). */
export function resizePlane(src: Float32Array, w: number, h: number, ow: number, oh: number): Float32Array {
  const out = new Float32Array(ow * oh);
  const sx = w / ow;
  const sy = h / oh;
  for (let y = 0; y < oh; y++) {
    const fy = (y + 0.5) * sy - 0.5;
    for (let x = 0; x < ow; x++) out[y * ow + x] = sampleBilinear(src, w, h, (x + 0.5) * sx - 0.5, fy);
  }
  return out;
}

/** Linear remap so that the p-th and (1-p)-th percentiles go to 0 and 1, clamped. */
export function normalizeRobust(src: Float32Array, p = 0.02): Float32Array {
  const sorted = Float32Array.from(src.length > 40000 ? strided(src, Math.ceil(src.length / 40000)) : src).sort();
  const lo = sorted[Math.floor(p * (sorted.length - 1))];
  const hi = sorted[Math.floor((1 - p) * (sorted.length - 1))];
  const span = hi - lo > 1e-9 ? hi - lo : 1;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = (src[i] - lo) / span;
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}

function strided(src: Float32Array, step: number): Float32Array {
  const out = new Float32Array(Math.floor(src.length / step));
  for (let i = 0; i < out.length; i++) out[i] = src[i * step];
  return out;
}

export function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}
