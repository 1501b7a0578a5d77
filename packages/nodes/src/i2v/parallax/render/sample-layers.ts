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
  rowX: Float32Array,
  rowY: Float32Array,
  shift: number,
  W: number,
  out: Uint8Array,
  o: number,
): void {
  const G = 1 << shift;
  const cells = (W + G - 1) >> shift;
  for (let gx = 0; gx < cells; gx++) {
    let X = Math.round(rowX[gx] * 4096);
    let Y = Math.round(rowY[gx] * 4096);
    const dX = Math.round(((rowX[gx + 1] - rowX[gx]) * 4096) / G);
    const dY = Math.round(((rowY[gx + 1] - rowY[gx]) * 4096) / G);
    const end = Math.min(W, (gx + 1) << shift);
    // The grid is clamped to the canvas (see ParallaxRenderer), and a straight line between two points
    // inside stays inside: no per-pixel clamping.
    for (let x = gx << shift; x < end; x++, o += 3, X += dX, Y += dY) {
      const ax = (X >> 5) & 127;
      const ay = (Y >> 5) & 127;
      const i00 = (Y >> 12) * pw + (X >> 12);
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

/** Packs the subject layer: colour and matte in one word per pixel (0xAABBGGRR). */
export function packRgba(rgb: Uint8Array, alpha: Uint8Array): Int32Array {
  // Int32, not Uint32: words with alpha ≥ 128 would not fit a small integer and V8 would load them as doubles.
  const out = new Int32Array(alpha.length);
  for (let i = 0, j = 0; i < alpha.length; i++, j += 3) out[i] = rgb[j] | (rgb[j + 1] << 8) | (rgb[j + 2] << 16) | (alpha[i] << 24);
  return out;
}

/** Packs the subject layer premultiplied: colour·alpha/255 and the matte in one word per pixel (0xAABBGGRR). */
export function packRgbaPremultiplied(rgb: Uint8Array, alpha: Uint8Array): Int32Array {
  const out = new Int32Array(alpha.length);
  for (let i = 0, j = 0; i < alpha.length; i++, j += 3) {
    const a = alpha[i];
    const r = Math.round((rgb[j] * a) / 255);
    const g = Math.round((rgb[j + 1] * a) / 255);
    const b = Math.round((rgb[j + 2] * a) / 255);
    out[i] = r | (g << 8) | (b << 16) | (a << 24);
  }
  return out;
}

/**
 * Composites the subject layer (packed colour + matte) over one output row, for columns x0..x1: bilinear
 * in integer fixed point (as the background), skipping at once where all four taps are transparent.
 * `premultiplied`: the packed colours are premultiplied (packRgbaPremultiplied), composited as out·(1 − a) + c.
 */
export function compositeSubjectRow(
  fg: Int32Array,
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
  premultiplied = false,
): void {
  const G = 1 << shift;
  const bx0 = Math.max(0, box[0] - 2) << 12;
  const by0 = Math.max(0, box[1] - 2) << 12;
  const bx1 = Math.min(box[2] + 1, sw - 2) << 12;
  const by1 = Math.min(box[3] + 1, sh - 2) << 12;
  for (let gx = x0 >> shift; gx << shift < x1; gx++) {
    const start = Math.max(x0, gx << shift);
    const end = Math.min(x1, (gx + 1) << shift);
    const dX = Math.round(((rowX[gx + 1] - rowX[gx]) * 4096) / G);
    const dY = Math.round(((rowY[gx + 1] - rowY[gx]) * 4096) / G);
    let X = Math.round(rowX[gx] * 4096) + dX * (start - (gx << shift));
    let Y = Math.round(rowY[gx] * 4096) + dY * (start - (gx << shift));
    for (let x = start; x < end; x++, X += dX, Y += dY) {
      if (X < bx0 || X >= bx1 || Y < by0 || Y >= by1) continue;
      const i00 = (Y >> 12) * sw + (X >> 12);
      const c00 = fg[i00];
      const c10 = fg[i00 + 1];
      const c01 = fg[i00 + sw];
      const c11 = fg[i00 + sw + 1];
      if ((c00 | c10 | c01 | c11) >>> 24 === 0) continue;
      const ax = (X >> 5) & 127;
      const ay = (Y >> 5) & 127;
      const bx = 128 - ax;
      const by = 128 - ay;
      const rbT = (((c00 & 0xff00ff) * bx + (c10 & 0xff00ff) * ax) >> 7) & 0xff00ff;
      const rbB = (((c01 & 0xff00ff) * bx + (c11 & 0xff00ff) * ax) >> 7) & 0xff00ff;
      const agT = ((((c00 >>> 8) & 0xff00ff) * bx + ((c10 >>> 8) & 0xff00ff) * ax) >> 7) & 0xff00ff;
      const agB = ((((c01 >>> 8) & 0xff00ff) * bx + ((c11 >>> 8) & 0xff00ff) * ax) >> 7) & 0xff00ff;
      const rb = ((rbT * by + rbB * ay + 0x400040) >> 7) & 0xff00ff;
      const ag = ((agT * by + agB * ay + 0x400040) >> 7) & 0xff00ff;
      let a = ag >> 16;
      if (a === 0) continue;
      a += a >> 7; // 0..256, so a full matte gives the subject's colour exactly
      const o = rowStart + x * 3;
      const r0 = out[o];
      const g0 = out[o + 1];
      const b0 = out[o + 2];
      if (premultiplied) {
        // out·(1 − a) + colour·a, the taps' colours already weighted by their own alphas (a rounding step
        // can reach 256: clamped).
        const r = r0 - ((r0 * a + 128) >> 8) + (rb & 0xff);
        const g = g0 - ((g0 * a + 128) >> 8) + (ag & 0xff);
        const b = b0 - ((b0 * a + 128) >> 8) + (rb >> 16);
        out[o] = r > 255 ? 255 : r;
        out[o + 1] = g > 255 ? 255 : g;
        out[o + 2] = b > 255 ? 255 : b;
        continue;
      }
      out[o] = r0 + ((((rb & 0xff) - r0) * a + 128) >> 8);
      out[o + 1] = g0 + ((((ag & 0xff) - g0) * a + 128) >> 8);
      out[o + 2] = b0 + ((((rb >> 16) - b0) * a + 128) >> 8);
    }
  }
}
