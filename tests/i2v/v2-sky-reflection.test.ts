import { describe, expect, it } from 'vitest';
import { Q } from '../../packages/nodes/src/i2v/parallax/analysis/analyze.js';
import { computeCues } from '../../packages/nodes/src/i2v/parallax/analysis/cues.js';
import { findRegions } from '../../packages/nodes/src/i2v/parallax/analysis/regions.js';

/**
 * A calm lake at dawn mirrors the sky, and where the far shore is too faint to see, a column walk from the top
 * found sky all the way down through the reflection (summer_1am.jpg): those cells got the sky's depth and a push
 * in tore dark arches into the water. v2 keeps such columns' sky near the skyline; v1 is left as it was.
 */
function lakeAtDawn(w: number, h: number): Uint8Array {
  const rgb = new Uint8Array(w * h * 3);
  const horizon = Math.round(h * 0.6);
  const sky = (y: number): [number, number, number] => {
    const t = Math.min(1, Math.max(0, y / horizon));
    return [90 + 150 * t, 100 + 90 * t, 210 - 10 * t];
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      // The far shore: a thin dark line on the right only (on the left, mist hides it).
      const shore = y >= horizon && y < horizon + 6 && x > w * 0.4;
      const c = shore ? [40, 35, 60] : y < horizon ? sky(y) : sky(2 * horizon - y).map((v) => v * 0.92);
      rgb.set(c, i);
    }
  }
  return rgb;
}

describe('v2: the sky does not run down through a lake mirroring it', () => {
  const w = 640;
  const h = 360;
  const cues = computeCues(lakeAtDawn(w, h), w, h, Q);
  const skyBelow = (sky: Float32Array, row: number) => {
    let m = 0;
    for (let y = Math.ceil(row * cues.qh); y < cues.qh; y++) for (let x = 0; x < cues.qw; x++) m = Math.max(m, sky[y * cues.qw + x]);
    return m;
  };

  it('no sky in the water below the skyline (a little under it at most)', () => {
    const v2 = findRegions(cues, { maxDip: 0.06 });
    expect(v2.horizon).toBeGreaterThan(0.5);
    expect(skyBelow(v2.sky, v2.horizon + 0.12)).toBeLessThan(0.05);
  });

  it('v1 as before (its bytes are pinned): its sky walk is not limited', () => {
    const v1 = findRegions(cues);
    const v2 = findRegions(cues, { maxDip: 0.06 });
    expect(v1.horizon).toBe(v2.horizon);
    // (v1's walk goes through the reflection to the bottom edge on the misty side.)
    expect(skyBelow(v1.sky, v1.horizon + 0.12)).toBeGreaterThan(0.5);
  });
});
