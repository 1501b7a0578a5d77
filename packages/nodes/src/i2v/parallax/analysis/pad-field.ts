/** Extends a quarter-resolution field by `p` cells on every side, repeating the edge values. */
export function padField(src: Float32Array, w: number, h: number, p: number): Float32Array {
  const pw = w + 2 * p;
  const ph = h + 2 * p;
  const out = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const s = Math.min(h - 1, Math.max(0, y - p)) * w;
    const o = y * pw;
    out.fill(src[s], o, o + p);
    out.set(src.subarray(s, s + w), o + p);
    out.fill(src[s + w - 1], o + p + w, o + pw);
  }
  return out;
}
