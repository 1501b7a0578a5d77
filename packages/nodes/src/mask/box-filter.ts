/**
 * Mean over a (2r+1)² window, clipped at the borders (each output divides by the cells really inside),
 * in O(N) whatever r: running sums along rows, then along columns. Sums are doubles, so results do not
 * depend on r or on the image size beyond float32 rounding of the stored means.
 */
export function boxMean(src: Float32Array, width: number, height: number, r: number, out = new Float32Array(src.length)): Float32Array {
  const tmp = new Float32Array(src.length);
  const line = new Float64Array(Math.max(width, height) + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    line[0] = 0;
    for (let x = 0; x < width; x++) line[x + 1] = line[x] + src[row + x];
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width, x + r + 1);
      tmp[row + x] = (line[hi] - line[lo]) / (hi - lo);
    }
  }
  for (let x = 0; x < width; x++) {
    line[0] = 0;
    for (let y = 0; y < height; y++) line[y + 1] = line[y] + tmp[y * width + x];
    for (let y = 0; y < height; y++) {
      const lo = Math.max(0, y - r);
      const hi = Math.min(height, y + r + 1);
      out[y * width + x] = (line[hi] - line[lo]) / (hi - lo);
    }
  }
  return out;
}

/** Approximate Gaussian blur of standard deviation `sigma`: three box passes (Wells 1986), O(N). */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma <= 0) return new Float32Array(src);
  // Three boxes of radius r have variance 3·((2r+1)² − 1)/12 = r(r+1); pick r for sigma² (at least 1).
  const r = Math.max(1, Math.round((Math.sqrt(1 + 4 * sigma * sigma) - 1) / 2));
  let a = boxMean(src, width, height, r);
  a = boxMean(a, width, height, r);
  return boxMean(a, width, height, r);
}
