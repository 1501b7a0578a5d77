/** The shimmering-light gain on I420 frames (after the background, before the subject is drawn over it). */

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
