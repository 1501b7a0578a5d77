import { describe, expect, it } from 'vitest';
import { ImageValue } from '../../values/image.js';
import { resizeBilinear } from './bilinear.js';
import { jointBilateralUpsample } from './joint-bilateral.js';

/** A photo split at column `edge` (dark | light) and its depth (far | near), with the depth averaged down by 8. */
function stepScene(width: number, height: number, edge: number) {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(i % width < edge ? 40 : 210, 3 * i, 3 * i + 3);
  const lw = width / 8;
  const lh = height / 8;
  const low = new Float32Array(lw * lh);
  const lowRgb = new Uint8Array(lw * lh * 3);
  for (let y = 0; y < lh; y++) {
    for (let x = 0; x < lw; x++) {
      const near = Math.min(8, Math.max(0, (x + 1) * 8 - edge)) / 8; // share of the cell right of the edge
      low[y * lw + x] = near;
      lowRgb.fill(Math.round(40 + 170 * near), 3 * (y * lw + x), 3 * (y * lw + x) + 3);
    }
  }
  return { image: new ImageValue(width, height, rgb), low, lowRgb, lw, lh };
}

/** Columns of the middle row whose value is strictly between 0.1 and 0.9. */
function transitionWidth(v: Float32Array, width: number, height: number): number {
  let n = 0;
  for (let x = 0; x < width; x++) {
    const d = v[(height >> 1) * width + x];
    if (d > 0.1 && d < 0.9) n++;
  }
  return n;
}

describe('jointBilateralUpsample', () => {
  it('puts a depth edge on the photo edge where bilinear smears it over the low-resolution cells', () => {
    const s = stepScene(256, 64, 131);
    const opts = { sigmaSpace: 1, sigmaColour: 15, flatSpan: 0.05 };
    const jbu = jointBilateralUpsample(s.low, s.lowRgb, s.lw, s.lh, s.image, opts);
    const bil = resizeBilinear(s.low, s.lw, s.lh, 256, 64);
    expect(transitionWidth(bil, 256, 64)).toBeGreaterThanOrEqual(8);
    expect(transitionWidth(jbu, 256, 64)).toBeLessThanOrEqual(1);
    const row = 32 * 256;
    expect(jbu[row + 129]).toBeLessThan(0.05);
    expect(jbu[row + 132]).toBeGreaterThan(0.95);
    // Far from the edge the windows are flat: the same values as bilinear.
    expect(jbu[row + 20]).toBe(bil[row + 20]);
    expect(jbu[row + 240]).toBe(bil[row + 240]);
  });

  it('keeps values inside the range of the low-resolution map', () => {
    const s = stepScene(64, 32, 29);
    const out = jointBilateralUpsample(s.low, s.lowRgb, s.lw, s.lh, s.image, { sigmaSpace: 1, sigmaColour: 15, flatSpan: 0 });
    for (const v of out) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});
