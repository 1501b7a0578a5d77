/**
 * Mean over a (2r+1)^2 window clipped to the picture (each output divides by the pixels actually inside),
 * separable running sums: O(pixels) whatever the radius.
 */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) runningMean(src, tmp, y * width, 1, width, r);
  for (let x = 0; x < width; x++) runningMean(tmp, out, x, width, height, r);
  return out;
}

function runningMean(src: Float32Array, dst: Float32Array, start: number, stride: number, n: number, r: number): void {
  let sum = 0;
  const first = Math.min(r, n - 1);
  for (let i = 0; i <= first; i++) sum += src[start + i * stride];
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - r);
    const hi = Math.min(n - 1, i + r);
    dst[start + i * stride] = sum / (hi - lo + 1);
    // Slide the window: add the element entering on the right, drop the one leaving on the left.
    if (i + r + 1 < n) sum += src[start + (i + r + 1) * stride];
    if (i - r >= 0) sum -= src[start + (i - r) * stride];
  }
}

/** Bilinear resampling of a single-channel grid (pixel centres aligned, edges clamped). */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(dw * dh);
  const xs = axisTaps(sw, dw);
  const ys = axisTaps(sh, dh);
  for (let y = 0; y < dh; y++) {
    const r0 = ys.i0[y] * sw;
    const r1 = ys.i1[y] * sw;
    const fy = ys.f[y];
    for (let x = 0; x < dw; x++) {
      const a = src[r0 + xs.i0[x]] + (src[r0 + xs.i1[x]] - src[r0 + xs.i0[x]]) * xs.f[x];
      const b = src[r1 + xs.i0[x]] + (src[r1 + xs.i1[x]] - src[r1 + xs.i0[x]]) * xs.f[x];
      out[y * dw + x] = a + (b - a) * fy;
    }
  }
  return out;
}

/** For each output index: the two source indices and the weight of the second. */
export function axisTaps(sn: number, dn: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(dn);
  const i1 = new Int32Array(dn);
  const f = new Float32Array(dn);
  for (let i = 0; i < dn; i++) {
    const s = Math.min(sn - 1, Math.max(0, ((i + 0.5) * sn) / dn - 0.5));
    i0[i] = Math.floor(s);
    i1[i] = Math.min(sn - 1, i0[i] + 1);
    f[i] = s - i0[i];
  }
  return { i0, i1, f };
}
