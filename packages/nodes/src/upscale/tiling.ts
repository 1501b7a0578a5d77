/**
 * Tiled inference geometry: tiles of one size per axis, spread evenly so neighbours share at least
 * `overlap` input pixels, and blend weights that feather each shared band. In each band the outer
 * `margin` pixels on either side get weight 0 (they lie where the network saw the tile's zero padding
 * instead of the picture), the middle `ramp` pixels cross-fade linearly; with the margin at least the
 * network's context the tiled result equals the untiled one. Weights of neighbours add up to exactly 1.
 */
export interface AxisPlan {
  /** Tile start positions (input pixels), ascending; first 0, last size - length. */
  starts: number[];
  /** The tiles' common length (input pixels); the whole axis when it is shorter than the tile. */
  length: number;
}

export interface Feather {
  /** Input pixels of each shared band left at weight 0 on either side. */
  margin: number;
  /** Input pixels of the linear cross-fade in the middle of the band. */
  ramp: number;
}

/** The feather for a nominal overlap: a quarter of it (at least 1 px when there is any overlap) ramps, the rest is margin. */
export function featherFor(overlap: number): Feather {
  if (overlap <= 0) return { margin: 0, ramp: 0 };
  const ramp = Math.max(1, Math.round(overlap / 4));
  return { margin: Math.floor((overlap - ramp) / 2), ramp };
}

/** The overlap that leaves `context` pixels of margin on each side (what the network needs to see). */
export function overlapForContext(context: number): number {
  let overlap = Math.ceil((8 * context) / 3);
  while (featherFor(overlap).margin < context) overlap++;
  return overlap;
}

/**
 * As few tiles as fit `tile` with `overlap`, all the same length, spread evenly over the axis. `exact`: the
 * network takes only that tile size (a fixed-size ONNX input), so tiles are never shrunk and a short axis
 * gets one tile reaching past its end (filled with repeated edge pixels).
 */
export function planAxis(size: number, tile: number, overlap: number, exact = false): AxisPlan {
  if (size <= tile) return { starts: [0], length: exact ? tile : size };
  if (overlap >= tile / 2) throw new Error(`overlap ${overlap} must be under half the tile size ${tile}`);
  const n = Math.ceil((size - overlap) / (tile - overlap));
  const length = exact ? tile : Math.min(tile, Math.ceil((size + (n - 1) * overlap) / n));
  const starts = Array.from({ length: n }, (_, i) => (n === 1 ? 0 : Math.round((i * (size - length)) / (n - 1))));
  return { starts, length };
}

/**
 * Per-pixel weights of tile `index` along one axis, in output pixels (input pixels x scale). Where the tile
 * meets its neighbour, the weight falls from 1 to 0 across the ramp centred in the shared band.
 */
export function axisWeights(plan: AxisPlan, index: number, scale: number, feather: Feather): Float32Array {
  const len = plan.length * scale;
  const w = new Float32Array(len).fill(1);
  const start = plan.starts[index] * scale;
  const fade = (bandStart: number, bandEnd: number, rising: boolean) => {
    // Ramp centred in the band [bandStart, bandEnd) of output pixels (absolute coordinates).
    const width = Math.max(1, feather.ramp * scale);
    const from = (bandStart + bandEnd) / 2 - width / 2;
    for (let p = Math.max(bandStart, start); p < Math.min(bandEnd, start + len); p++) {
      const t = Math.min(1, Math.max(0, (p + 0.5 - from) / width));
      w[p - start] *= rising ? t : 1 - t;
    }
  };
  if (index > 0) fade(start, (plan.starts[index - 1] + plan.length) * scale, true);
  if (index < plan.starts.length - 1) fade(plan.starts[index + 1] * scale, start + len, false);
  return w;
}

/** Copies a w x h window at (x0, y0) of an RGB byte frame into floats (0-255), repeating edge pixels outside it. */
export function extractTile(
  frame: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  out = new Float32Array(w * h * 3),
): Float32Array {
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.max(0, y0 + y));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.max(0, x0 + x));
      const s = (sy * width + sx) * 3;
      const d = (y * w + x) * 3;
      out[d] = frame[s];
      out[d + 1] = frame[s + 1];
      out[d + 2] = frame[s + 2];
    }
  }
  return out;
}

/** acc[window] += tile * wx[x] * wy[y]: the tile's weighted share of the output (RGB floats). */
export function accumulateTile(
  acc: Float32Array,
  accWidth: number,
  accHeight: number,
  tile: Float32Array,
  tw: number,
  th: number,
  ox: number,
  oy: number,
  wx: Float32Array,
  wy: Float32Array,
): void {
  // The columns inside the frame whose weight is not 0, found once for every row.
  let x0 = Math.max(0, -ox);
  let x1 = Math.min(tw, accWidth - ox);
  while (x0 < x1 && wx[x0] === 0) x0++;
  while (x1 > x0 && wx[x1 - 1] === 0) x1--;
  for (let y = 0; y < th; y++) {
    const ay = oy + y;
    const wgtY = wy[y];
    if (ay < 0 || ay >= accHeight || wgtY === 0) continue;
    let s = (y * tw + x0) * 3;
    let d = (ay * accWidth + ox + x0) * 3;
    for (let x = x0; x < x1; x++, s += 3, d += 3) {
      const wgt = wx[x] * wgtY;
      acc[d] += tile[s] * wgt;
      acc[d + 1] += tile[s + 1] * wgt;
      acc[d + 2] += tile[s + 2] * wgt;
    }
  }
}

/**
 * Floats (0-255) to bytes, clamped and rounded to nearest (ties to even): a Uint8ClampedArray converts
 * that way natively, several times faster than a loop over 11 million values of a 1440p frame.
 */
export function toBytes(acc: Float32Array): Uint8Array {
  const clamped = new Uint8ClampedArray(acc.length);
  clamped.set(acc);
  return new Uint8Array(clamped.buffer, clamped.byteOffset, clamped.byteLength);
}
