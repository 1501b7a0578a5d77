/**
 * The subject layer and light gain for I420 frames (the background is drawn by wasm/background.wat): luma
 * at every pixel, chroma once per 2×2 block from half-resolution planes holding Cb and Cr in two lanes of
 * one word. Same integer fixed point as sample-layers.ts (1/4096 px, 7-bit weights).
 */

/**
 * Source position, in half-resolution (chroma) units and 1/4096 fixed point, of chroma sample k of a grid cell:
 * the centre of its 2×2 block. Writes [X, Y, dX, dY] (the step to the next sample) into `at`.
 */
function chromaStart(rowX: Float32Array, rowY: Float32Array, gx: number, G: number, at: Int32Array): void {
  const sx = (rowX[gx + 1] - rowX[gx]) / G;
  const sy = (rowY[gx + 1] - rowY[gx]) / G;
  // Full-resolution coordinate of the block centre (0.5 px into the cell), then to chroma units: (p - 0.5) / 2.
  at[0] = Math.round(((rowX[gx] + 0.5 * sx - 0.5) / 2) * 4096);
  at[1] = Math.round(((rowY[gx] + 0.5 * sy - 0.5) / 2) * 4096);
  at[2] = Math.round(sx * 4096);
  at[3] = Math.round(sy * 4096);
}

const start = new Int32Array(4);

/**
 * Composites the subject's luma over one output row, columns x0..x1, from words Y | alpha << 16 (both lanes
 * interpolated at once); skips at once where all four taps are transparent.
 */
export function compositeSubjectLumaRow(
  fg: Int32Array,
  sw: number,
  box: Int32Array,
  rowX: Float32Array,
  rowY: Float32Array,
  shift: number,
  x0: number,
  x1: number,
  out: Uint8Array,
  rowStart: number,
): void {
  const G = 1 << shift;
  const [bx0, by0, bx1, by1] = box;
  for (let gx = x0 >> shift; gx << shift < x1; gx++) {
    const first = Math.max(x0, gx << shift);
    const end = Math.min(x1, (gx + 1) << shift);
    const dX = Math.round(((rowX[gx + 1] - rowX[gx]) * 4096) / G);
    const dY = Math.round(((rowY[gx + 1] - rowY[gx]) * 4096) / G);
    let X = Math.round(rowX[gx] * 4096) + dX * (first - (gx << shift));
    let Y = Math.round(rowY[gx] * 4096) + dY * (first - (gx << shift));
    for (let x = first; x < end; x++, X += dX, Y += dY) {
      if (X < bx0 || X >= bx1 || Y < by0 || Y >= by1) continue;
      const i = (Y >> 12) * sw + (X >> 12);
      const c00 = fg[i];
      const c10 = fg[i + 1];
      const c01 = fg[i + sw];
      const c11 = fg[i + sw + 1];
      if (((c00 | c10 | c01 | c11) >> 16) === 0) continue;
      const ax = (X >> 5) & 127;
      const ay = (Y >> 5) & 127;
      const bx = 128 - ax;
      const t = ((c00 * bx + c10 * ax) >> 7) & 0xff00ff;
      const b = ((c01 * bx + c11 * ax) >> 7) & 0xff00ff;
      const v = ((t * (128 - ay) + b * ay + 0x400040) >> 7) & 0xff00ff;
      let a = v >> 16;
      if (a === 0) continue;
      a += a >> 7; // 0..256: a full matte gives the subject's value exactly
      const o = rowStart + x;
      const y0 = out[o];
      out[o] = y0 + ((((v & 0xff) - y0) * a + 128) >> 8);
    }
  }
}

/**
 * Composites the subject's chroma over one row of 2×2 blocks (blocks c0..c1), from its half-resolution chroma
 * (Cb | Cr << 16) and alpha planes.
 */
export function compositeSubjectChromaRow(
  chroma: Int32Array,
  alpha: Uint8Array,
  stride: number,
  box: Int32Array,
  rowX: Float32Array,
  rowY: Float32Array,
  shift: number,
  c0: number,
  c1: number,
  outU: Uint8Array,
  outV: Uint8Array,
  o: number,
): void {
  const G = 1 << shift;
  const perCell = G >> 1;
  const [bx0, by0, bx1, by1] = box;
  for (let gx = Math.floor(c0 / perCell); gx * perCell < c1; gx++) {
    chromaStart(rowX, rowY, gx, G, start);
    const first = Math.max(c0, gx * perCell);
    const skip = first - gx * perCell;
    let X = start[0] + start[2] * skip;
    let Y = start[1] + start[3] * skip;
    const end = Math.min(c1, (gx + 1) * perCell);
    for (let c = first; c < end; c++, X += start[2], Y += start[3]) {
      if (X < bx0 || X >= bx1 || Y < by0 || Y >= by1) continue;
      const i = (Y >> 12) * stride + (X >> 12);
      const a00 = alpha[i];
      const a10 = alpha[i + 1];
      const a01 = alpha[i + stride];
      const a11 = alpha[i + stride + 1];
      if ((a00 | a10 | a01 | a11) === 0) continue;
      const ax = (X >> 5) & 127;
      const ay = (Y >> 5) & 127;
      const bx = 128 - ax;
      const by = 128 - ay;
      let a = ((a00 * bx + a10 * ax) * by + (a01 * bx + a11 * ax) * ay + 8192) >> 14;
      if (a === 0) continue;
      a += a >> 7;
      const t = ((chroma[i] * bx + chroma[i + 1] * ax) >> 7) & 0xff00ff;
      const b = ((chroma[i + stride] * bx + chroma[i + stride + 1] * ax) >> 7) & 0xff00ff;
      const v = ((t * by + b * ay + 0x400040) >> 7) & 0xff00ff;
      const u0 = outU[o + c];
      const v0 = outV[o + c];
      outU[o + c] = u0 + ((((v & 0xff) - u0) * a + 128) >> 8);
      outV[o + c] = v0 + ((((v >> 16) - v0) * a + 128) >> 8);
    }
  }
}

/** Shimmering light on luma: the brightness above black scaled by the interpolated gain, capped at white. */
export function gainLumaRow(rowG: Float32Array, shift: number, W: number, out: Uint8Array, o: number): void {
  const mask = (1 << shift) - 1;
  const invG = 1 / (1 << shift);
  for (let x = 0; x < W; x++, o++) {
    const gx = x >> shift;
    const k = rowG[gx] + (rowG[gx + 1] - rowG[gx]) * (x & mask) * invG;
    if (k === 1) continue;
    const v = 16 + (out[o] - 16) * k;
    out[o] = v > 235 ? 235 : v < 16 ? 16 : v;
  }
}

/** The same gain on chroma (colour saturation scales with brightness, as RGB values scaled by k do). */
export function gainChromaRow(rowG: Float32Array, shift: number, cw: number, outU: Uint8Array, outV: Uint8Array, o: number): void {
  const invG = 1 / (1 << shift);
  for (let c = 0; c < cw; c++) {
    const x = 2 * c + 0.5;
    const gx = Math.floor(x * invG);
    const k = rowG[gx] + (rowG[gx + 1] - rowG[gx]) * (x * invG - gx);
    if (k === 1) continue;
    const u = 128 + (outU[o + c] - 128) * k;
    const v = 128 + (outV[o + c] - 128) * k;
    outU[o + c] = u > 240 ? 240 : u < 16 ? 16 : u;
    outV[o + c] = v > 240 ? 240 : v < 16 ? 16 : v;
  }
}
