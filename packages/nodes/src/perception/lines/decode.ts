/**
 * Segments from M-LSD's two maps (the decoding of the paper's TFLite demo `pred_lines` and of keijiro's
 * Postprocess.compute): every cell whose centre score reaches the threshold is one segment, from cell +
 * (dx0, dy0) to cell + (dx1, dy1). The network has already suppressed non-maxima (3×3 max-pool), so no
 * further NMS. Coordinates come out in [0, 1] of the network input (the picture stretched to it), x right,
 * y down; `minLength` (in map cells, the demo's `dist_thr` is 20 at a 256 map) drops short ones.
 */
export function decodeSegments(
  scores: Float32Array,
  offsets: Float32Array,
  mapSize: number,
  threshold: number,
  minLength: number,
): Float32Array {
  const out: number[] = [];
  const n = mapSize * mapSize;
  if (scores.length !== n || offsets.length !== n * 4) {
    throw new Error(`M-LSD: maps of ${scores.length} and ${offsets.length} values do not fit a ${mapSize}x${mapSize} map`);
  }
  for (let i = 0; i < n; i++) {
    const score = scores[i];
    if (!(score >= threshold)) continue;
    const cx = i % mapSize;
    const cy = (i - cx) / mapSize;
    const o = i * 4;
    const x0 = cx + offsets[o];
    const y0 = cy + offsets[o + 1];
    const x1 = cx + offsets[o + 2];
    const y1 = cy + offsets[o + 3];
    if (Math.hypot(x1 - x0, y1 - y0) < minLength) continue;
    // Map cell (c) covers input pixels 2c..2c+1: the demo scales by 2 and divides by the input size.
    out.push(x0 / mapSize, y0 / mapSize, x1 / mapSize, y1 / mapSize, score);
  }
  return Float32Array.from(out);
}
