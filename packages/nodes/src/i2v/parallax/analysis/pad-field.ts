/** Extends a quarter-resolution field by `p` cells on every side, repeating the edge values. */
export function padField(src: Float32Array, w: number, h: number, p: number): Float32Array {
  const pw = w + 2 * p;
  const ph = h + 2 * p;
  const out = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(h - 1, Math.max(0, y - p));
    for (let x = 0; x < pw; x++) {
      const sx = Math.min(w - 1, Math.max(0, x - p));
      out[y * pw + x] = src[sy * w + sx];
    }
  }
  return out;
}
