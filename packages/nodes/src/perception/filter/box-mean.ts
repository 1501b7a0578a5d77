/**
 * Mean over a (2r+1)² window of every channel of an interleaved float image (channel c of pixel i at
 * i·channels + c), clipped at the borders: each output divides by the cells really inside. O(1) per value
 * whatever r, by running sums: along each row, then down the columns with one accumulator row, so both
 * passes walk memory in order (a column-by-column pass strides a whole row per step and misses the cache).
 * Sums are doubles, so nothing drifts over a long row. `out` may be `src` (it is written after src is read).
 */
export function boxMeanInterleaved(src: Float32Array, width: number, height: number, channels: number, r: number, out = new Float32Array(src.length)): Float32Array {
  const rowLen = width * channels;
  if (src.length !== rowLen * height || out.length !== src.length) throw new Error(`boxMeanInterleaved: ${src.length} values for ${width}x${height}x${channels}`);
  const rows = new Float32Array(src.length);
  const invCount = new Float64Array(width);
  for (let x = 0; x < width; x++) invCount[x] = 1 / (Math.min(width, x + r + 1) - Math.max(0, x - r));
  // Horizontal means, one channel at a time (a plain strided scan the JIT keeps in registers).
  const head = Math.min(width, r + 1); // cells in the window of x = 0
  for (let y = 0; y < height; y++) {
    const row = y * rowLen;
    for (let c = 0; c < channels; c++) {
      const base = row + c;
      let sum = 0;
      for (let x = 0; x < head; x++) sum += src[base + x * channels];
      for (let x = 0; x < width; x++) {
        rows[base + x * channels] = sum * invCount[x];
        const enter = x + r + 1;
        if (enter < width) sum += src[base + enter * channels];
        if (x >= r) sum -= src[base + (x - r) * channels];
      }
    }
  }
  // Vertical means: one accumulator row holds the window's column sums; rows enter and leave whole.
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < Math.min(height, r + 1); y++) {
    const row = y * rowLen;
    for (let i = 0; i < rowLen; i++) acc[i] += rows[row + i];
  }
  for (let y = 0; y < height; y++) {
    const inv = 1 / (Math.min(height, y + r + 1) - Math.max(0, y - r));
    const row = y * rowLen;
    for (let i = 0; i < rowLen; i++) out[row + i] = acc[i] * inv;
    const enter = y + r + 1;
    if (enter < height) {
      const e = enter * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] += rows[e + i];
    }
    if (y >= r) {
      const l = (y - r) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] -= rows[l + i];
    }
  }
  return out;
}
