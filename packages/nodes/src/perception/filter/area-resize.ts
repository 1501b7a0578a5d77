/**
 * Shrinks a single-channel float grid by area averaging (each output pixel is the mean of the source area
 * it covers, partial pixels weighted by their share): no aliasing, and values stay within the source's
 * range. Separable: rows first into a dw-wide buffer, then columns. Enlarging is not its job.
 */
export function shrinkArea(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  if (dw > sw || dh > sh || dw < 1 || dh < 1) throw new Error(`shrinkArea: ${sw}x${sh} can not shrink to ${dw}x${dh}`);
  const xs = spans(sw, dw);
  const ys = spans(sh, dh);
  const rows = new Float32Array(dw * sh);
  for (let y = 0; y < sh; y++) {
    const row = y * sw;
    for (let x = 0, t = 0; x < dw; x++) {
      let s = 0;
      for (const end = xs.start[x + 1]; t < end; t++) s += src[row + xs.index[t]] * xs.weight[t];
      rows[y * dw + x] = s;
    }
  }
  const out = new Float32Array(dw * dh);
  for (let y = 0, t = 0; y < dh; y++) {
    for (const end = ys.start[y + 1]; t < end; t++) {
      const row = ys.index[t] * dw;
      const w = ys.weight[t];
      for (let x = 0; x < dw; x++) out[y * dw + x] += rows[row + x] * w;
    }
  }
  return out;
}

/** Per output index: the source indices it covers (taps start[i] .. start[i+1]) and their weights, summing to 1. */
function spans(sn: number, dn: number): { start: Int32Array; index: Int32Array; weight: Float32Array } {
  const scale = sn / dn;
  const start = new Int32Array(dn + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < dn; i++) {
    start[i] = index.length;
    const lo = i * scale;
    const hi = (i + 1) * scale;
    for (let s = Math.floor(lo); s < Math.min(sn, Math.ceil(hi)); s++) {
      const w = (Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
      if (w > 0) {
        index.push(s);
        weight.push(w);
      }
    }
  }
  start[dn] = index.length;
  return { start, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}
