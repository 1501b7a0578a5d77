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
