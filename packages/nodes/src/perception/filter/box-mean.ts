/**
 * Mean over a (2r+1)² window of every channel of an interleaved float image (channel c of pixel x at
 * x·channels + c in its row), clipped at the borders: each output divides by the cells really inside.
 * O(1) per value whatever r, by running sums along each row, then down the columns with one accumulator
 * row, so memory is walked in order (a column-by-column pass strides a whole row per step).
 *
 * Streamed: `source(y)` gives input row y (width·channels values; it may reuse one buffer) and is called
 * once per row, in order; `sink(y, mean)` receives output row y (a reused buffer: copy what you keep)
 * once rows up to y + r are read. Only 2r + 2 rows of row means are held, so a caller can compute its
 * input rows on the fly and use each output row at once, with no image-sized temporaries.
 * Sums are doubles, so nothing drifts over a long row or column.
 */
export function boxMeanStream(
  width: number,
  height: number,
  channels: number,
  r: number,
  source: (y: number) => ArrayLike<number>,
  sink: (y: number, mean: Float32Array) => void,
): void {
  const rowLen = width * channels;
  const slots = 2 * r + 2;
  const ring = new Float32Array(slots * rowLen);
  const acc = new Float64Array(rowLen);
  const mean = new Float32Array(rowLen);
  const invCount = new Float64Array(width);
  for (let x = 0; x < width; x++) invCount[x] = 1 / (Math.min(width, x + r + 1) - Math.max(0, x - r));
  const head = Math.min(width, r + 1); // cells in the window of x = 0
  let loaded = 0; // input rows read so far
  let dropped = 0; // rows taken out of the accumulator so far
  for (let y = 0; y < height; y++) {
    for (const last = Math.min(height - 1, y + r); loaded <= last; loaded++) {
      const src = source(loaded);
      if (src.length < rowLen) throw new Error(`boxMeanStream: row ${loaded} has ${src.length} values, needs ${rowLen}`);
      const slot = (loaded % slots) * rowLen;
      // Horizontal means, one channel at a time (a plain strided scan the JIT keeps in registers).
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let x = 0; x < head; x++) sum += src[x * channels + c];
        for (let x = 0; x < width; x++) {
          ring[slot + x * channels + c] = sum * invCount[x];
          const enter = x + r + 1;
          if (enter < width) sum += src[enter * channels + c];
          if (x >= r) sum -= src[(x - r) * channels + c];
        }
      }
      for (let i = 0; i < rowLen; i++) acc[i] += ring[slot + i];
    }
    for (; dropped < y - r; dropped++) {
      const slot = (dropped % slots) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] -= ring[slot + i];
    }
    const inv = 1 / (Math.min(height, y + r + 1) - Math.max(0, y - r));
    for (let i = 0; i < rowLen; i++) mean[i] = acc[i] * inv;
    sink(y, mean);
  }
}

/** The same over a whole interleaved image; `out` may be `src` (row y is written after it was read). */
export function boxMeanInterleaved(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  r: number,
  out = new Float32Array(src.length),
): Float32Array {
  const rowLen = width * channels;
  if (src.length !== rowLen * height || out.length !== src.length)
    throw new Error(`boxMeanInterleaved: ${src.length} values for ${width}x${height}x${channels}`);
  boxMeanStream(
    width,
    height,
    channels,
    r,
    (y) => src.subarray(y * rowLen, (y + 1) * rowLen),
    (y, mean) => out.set(mean, y * rowLen),
  );
  return out;
}
