/**
 * The per-pixel hot loops of the renderer, as plain functions over typed arrays (monomorphic, so V8
 * compiles them tight). Coordinates come from a coarse grid (step 2^shift) interpolated per pixel.
 */

/** Interpolates one output row of a grid (gw columns) between grid rows r0 and r0+gw. */
export function gridRow(grid: Float32Array, r0: number, gw: number, fy: number, row: Float32Array): void {
  const r1 = r0 + gw;
  for (let gx = 0; gx < gw; gx++) row[gx] = grid[r0 + gx] + (grid[r1 + gx] - grid[r0 + gx]) * fy;
}

/** Packs RGB bytes into one 32-bit word per pixel (0x00BBGGRR): one load per bilinear tap. */
export function packRgb(rgb: Uint8Array): Uint32Array {
  const n = rgb.length / 3;
  const out = new Uint32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = rgb[j] | (rgb[j + 1] << 8) | (rgb[j + 2] << 16);
  return out;
}

/**
 * Samples the padded background (bilinear, clamped) for one output row into out (RGB bytes).
 * Integer fixed point throughout: coordinates in 1/4096 px stepped across each grid cell, 7-bit weights
 * (so every product stays within int32), red and blue blended together in one word (SWAR), green in another.
 */
export function sampleBackgroundRow(
  bg: Uint32Array,
  pw: number,
  ph: number,
  rowX: Float32Array,
  rowY: Float32Array,
  shift: number,
  W: number,
  out: Uint8Array,
  o: number,
): void {
  const G = 1 << shift;
  const maxX = ((pw - 1) << 12) - 1;
  const maxY = ((ph - 1) << 12) - 1;
  const cells = (W + G - 1) >> shift;
  for (let gx = 0; gx < cells; gx++) {
    let X = Math.round(rowX[gx] * 4096);
    let Y = Math.round(rowY[gx] * 4096);
    const dX = Math.round(((rowX[gx + 1] - rowX[gx]) * 4096) / G);
    const dY = Math.round(((rowY[gx + 1] - rowY[gx]) * 4096) / G);
    const end = Math.min(W, (gx + 1) << shift);
    for (let x = gx << shift; x < end; x++, o += 3, X += dX, Y += dY) {
      const xi = X < 0 ? 0 : X > maxX ? maxX : X;
      const yi = Y < 0 ? 0 : Y > maxY ? maxY : Y;
      const ax = (xi >> 5) & 127;
      const ay = (yi >> 5) & 127;
      const i00 = (yi >> 12) * pw + (xi >> 12);
      const c00 = bg[i00];
      const c10 = bg[i00 + 1];
      const c01 = bg[i00 + pw];
      const c11 = bg[i00 + pw + 1];
      const bx = 128 - ax;
      const rbT = (((c00 & 0xff00ff) * bx + (c10 & 0xff00ff) * ax) >> 7) & 0xff00ff;
      const rbB = (((c01 & 0xff00ff) * bx + (c11 & 0xff00ff) * ax) >> 7) & 0xff00ff;
      const gT = (((c00 & 0xff00) * bx + (c10 & 0xff00) * ax) >> 7) & 0xff00;
      const gB = (((c01 & 0xff00) * bx + (c11 & 0xff00) * ax) >> 7) & 0xff00;
      const by = 128 - ay;
      const rb = ((rbT * by + rbB * ay + 0x400040) >> 7) & 0xff00ff;
      const g = ((gT * by + gB * ay + 0x4000) >> 7) & 0xff00;
      out[o] = rb;
      out[o + 1] = g >> 8;
      out[o + 2] = rb >> 16;
    }
  }
}

/** Multiplies a row by an interpolated gain (shimmering light). */
export function gainRow(rowG: Float32Array, shift: number, W: number, out: Uint8Array, o: number): void {
  const G = 1 << shift;
  const mask = G - 1;
  const invG = 1 / G;
  for (let x = 0; x < W; x++, o += 3) {
    const gx = x >> shift;
    const k = rowG[gx] + (rowG[gx + 1] - rowG[gx]) * (x & mask) * invG;
    if (k === 1) continue;
    const r = out[o] * k;
    const g = out[o + 1] * k;
    const b = out[o + 2] * k;
    out[o] = r > 255 ? 255 : r;
    out[o + 1] = g > 255 ? 255 : g;
    out[o + 2] = b > 255 ? 255 : b;
  }
}

/** Composites the subject layer (photo + matte) over a row, for output columns x0..x1. */
export function compositeSubjectRow(
  rgb: Uint8Array,
  matte: Uint8Array,
  sw: number,
  sh: number,
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
  const mask = G - 1;
  const invG = 1 / G;
  const bx0 = box[0] - 2;
  const by0 = box[1] - 2;
  const bx1 = Math.min(box[2] + 1, sw - 1);
  const by1 = Math.min(box[3] + 1, sh - 1);
  for (let x = x0; x < x1; x++) {
    const gx = x >> shift;
    const fx = (x & mask) * invG;
    const sx = rowX[gx] + (rowX[gx + 1] - rowX[gx]) * fx;
    const sy = rowY[gx] + (rowY[gx + 1] - rowY[gx]) * fx;
    if (!(sx > bx0 && sx < bx1 && sy > by0 && sy < by1 && sx >= 0 && sy >= 0)) continue;
    const jx = sx | 0;
    const jy = sy | 0;
    const cx = sx - jx;
    const cy = sy - jy;
    const m00 = jy * sw + jx;
    const m01 = m00 + sw;
    const mt = matte[m00] + (matte[m00 + 1] - matte[m00]) * cx;
    const mb = matte[m01] + (matte[m01 + 1] - matte[m01]) * cx;
    const a = (mt + (mb - mt) * cy) * (1 / 255);
    if (a < 0.002) continue;
    const p00 = m00 * 3;
    const p01 = m01 * 3;
    const o = rowStart + x * 3;
    for (let ch = 0; ch < 3; ch++) {
      const t = rgb[p00 + ch] + (rgb[p00 + 3 + ch] - rgb[p00 + ch]) * cx;
      const b = rgb[p01 + ch] + (rgb[p01 + 3 + ch] - rgb[p01 + ch]) * cx;
      const f = t + (b - t) * cy;
      out[o + ch] = out[o + ch] + (f - out[o + ch]) * a + 0.5;
    }
  }
}
