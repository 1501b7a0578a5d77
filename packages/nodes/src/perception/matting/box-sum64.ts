/**
 * Sum over the (2r+1)² window around every pixel of every channel of an interleaved float64 image, clipped
 * at the borders (cells outside the image count as absent). Separable running sums, O(1) per value whatever
 * r. Float64 throughout: the matting Laplacian subtracts products of window means whose difference is far
 * below float32's resolution in flat regions (its inverse covariances reach 1/ε there).
 */
export function boxSum64(
  src: Float64Array,
  width: number,
  height: number,
  channels: number,
  r: number,
  out = new Float64Array(src.length),
  tmp = new Float64Array(src.length),
): Float64Array {
  const rowLen = width * channels;
  // Rows: tmp[x] = prefix[min(x + r, w − 1) + 1] − prefix[max(x − r, 0)], prefix sums interleaved like
  // the pixels, so both loops walk memory in order (a per-channel strided scan was three times slower).
  const prefix = new Float64Array(rowLen + channels);
  for (let y = 0; y < height; y++) {
    const row = y * rowLen;
    for (let i = 0; i < rowLen; i++) prefix[i + channels] = prefix[i] + src[row + i];
    for (let x = 0; x < width; x++) {
      const hi = (Math.min(width - 1, x + r) + 1) * channels,
        lo = Math.max(0, x - r) * channels,
        o = row + x * channels;
      for (let c = 0; c < channels; c++) tmp[o + c] = prefix[hi + c] - prefix[lo + c];
    }
  }
  // Columns, one accumulator row walked down the image (memory in order).
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < Math.min(height, r + 1); y++) for (let i = 0; i < rowLen; i++) acc[i] += tmp[y * rowLen + i];
  for (let y = 0; y < height; y++) {
    const row = y * rowLen;
    const enter = y + r + 1,
      e = enter * rowLen,
      d = (y - r) * rowLen;
    // Write the row and move the window down in one pass where a row enters and one leaves (most rows).
    if (enter < height && y >= r) {
      for (let i = 0; i < rowLen; i++) {
        const v = acc[i];
        out[row + i] = v;
        acc[i] = v + tmp[e + i] - tmp[d + i];
      }
      continue;
    }
    for (let i = 0; i < rowLen; i++) out[row + i] = acc[i];
    if (enter < height) for (let i = 0; i < rowLen; i++) acc[i] += tmp[e + i];
    if (y >= r) for (let i = 0; i < rowLen; i++) acc[i] -= tmp[d + i];
  }
  return out;
}

/** Cells of the clipped window around each pixel (also the number of windows holding it). */
export function windowCounts(width: number, height: number, r: number): Float64Array {
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const ny = Math.min(height, y + r + 1) - Math.max(0, y - r);
    for (let x = 0; x < width; x++) out[y * width + x] = ny * (Math.min(width, x + r + 1) - Math.max(0, x - r));
  }
  return out;
}
