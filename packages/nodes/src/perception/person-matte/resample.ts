/**
 * Bilinear resampling of a single-channel float grid with half-pixel centres (output pixel centre
 * (x + 0.5) maps to (x + 0.5)·sw/dw in the source), edges clamped. For upsampling a network's output or
 * filter coefficients: smooth, never blocky.
 */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number, channels = 1): Float32Array {
  const out = new Float32Array(dw * dh * channels);
  const xs = axisTaps(sw, dw);
  const ys = axisTaps(sh, dh);
  for (let y = 0; y < dh; y++) {
    const y0 = ys.lo[y] * sw;
    const y1 = ys.hi[y] * sw;
    const fy = ys.frac[y];
    for (let x = 0; x < dw; x++) {
      const x0 = xs.lo[x];
      const x1 = xs.hi[x];
      const fx = xs.frac[x];
      for (let c = 0; c < channels; c++) {
        const a = src[(y0 + x0) * channels + c];
        const b = src[(y0 + x1) * channels + c];
        const d = src[(y1 + x0) * channels + c];
        const e = src[(y1 + x1) * channels + c];
        const top = a + (b - a) * fx;
        const bottom = d + (e - d) * fx;
        out[(y * dw + x) * channels + c] = top + (bottom - top) * fy;
      }
    }
  }
  return out;
}

function axisTaps(src: number, dst: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const lo = new Int32Array(dst);
  const hi = new Int32Array(dst);
  const frac = new Float32Array(dst);
  const scale = src / dst;
  for (let i = 0; i < dst; i++) {
    const s = Math.min(src - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    const f = Math.floor(s);
    lo[i] = f;
    hi[i] = Math.min(src - 1, f + 1);
    frac[i] = s - f;
  }
  return { lo, hi, frac };
}
