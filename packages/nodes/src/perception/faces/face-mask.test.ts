import { describe, expect, it } from 'vitest';
import type { Face } from '../../values/faces.js';
import { faceMask } from './face-mask.js';

const face = (x: number, y: number, w: number, h: number): Face => ({
  box: { x, y, width: w, height: h },
  score: 0.9,
  landmarks: { rightEye: [0, 0], leftEye: [0, 0], noseTip: [0, 0], mouth: [0, 0], rightEar: [0, 0], leftEar: [0, 0] },
});

describe('faceMask', () => {
  it('an ellipse covers π/4 of its box, with soft one-pixel edges', () => {
    const m = faceMask(200, 200, [face(50, 50, 100, 80)], 'ellipse', 1);
    let area = 0;
    let partial = 0;
    for (const v of m.data) {
      area += v;
      if (v > 0 && v < 1) partial++;
    }
    expect(area / (100 * 80)).toBeCloseTo(Math.PI / 4, 2);
    expect(m.data[90 * 200 + 100]).toBe(1);
    expect(m.data[10 * 200 + 10]).toBe(0);
    expect(partial).toBeGreaterThan(100);
    expect(partial).toBeLessThan(700);
  });

  it('a box mask is exact for fractional boxes, scales about the centre and is clipped to the picture', () => {
    const m = faceMask(100, 100, [face(10.5, 10, 20, 20)], 'box', 1);
    expect(m.coverage() * 10_000).toBeCloseTo(400, 3);
    expect(m.data[15 * 100 + 10]).toBeCloseTo(0.5, 6);
    const big = faceMask(100, 100, [face(80, 80, 40, 40)], 'box', 1.5);
    // centre (100, 100), half-size 30: 70..130 clipped to 70..100 on both axes
    expect(big.coverage() * 10_000).toBeCloseTo(30 * 30, 3);
  });
});
