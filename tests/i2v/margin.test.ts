import { describe, expect, it } from 'vitest';
import { completeBackground } from '../../packages/nodes/src/i2v/parallax/analysis/complete-background.js';
import { hashNoise } from '../../packages/nodes/src/i2v/parallax/render/noise.js';

/** How much of b's contrast a carries: the slope of a regressed on b. */
function carried(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    bb += (b[i] - mb) ** 2;
  }
  return ab / bb;
}

describe('the completed background beyond the frame', () => {
  // A photo of fine random texture (2 px grain) over a slow gradient.
  const w = 320;
  const h = 192;
  const pad = 64;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = 60 + x / 4 + 60 * hashNoise(x >> 1, y >> 1, 9);
      rgb.fill(Math.round(v), (y * w + x) * 3, (y * w + x) * 3 + 3);
    }
  }
  const { rgb: canvas } = completeBackground(rgb, new Float32Array(w * h), w, h, pad);
  const pw = w + 2 * pad;
  /** The left margin at distance d beyond the edge, and the photo pixels a mirror would have put there. */
  const columnPairs = (d: number): [number[], number[]] => {
    const margin: number[] = [];
    const mirrored: number[] = [];
    for (let y = 0; y < h; y++) {
      margin.push(canvas[((y + pad) * pw + pad - d) * 3]);
      mirrored.push(rgb[(y * w + d) * 3]);
    }
    return [margin, mirrored];
  };

  it('continues the photo right at its edge', () => {
    expect(carried(...columnPairs(1))).toBeGreaterThan(0.8);
  });

  it('shows no recognisable mirrored copy further out: at most a fifth of its contrast, the rest smooth fill', () => {
    for (const d of [40, 56]) expect(Math.abs(carried(...columnPairs(d)))).toBeLessThan(0.2);
  });
});
