import { describe, expect, it } from 'vitest';
import { shrinkArea } from './area-resize.js';

describe('shrinkArea', () => {
  it('averages whole blocks when the factor is whole', () => {
    const src = Float32Array.from({ length: 4 * 2 }, (_, i) => i); // rows 0 1 2 3 / 4 5 6 7
    expect([...shrinkArea(src, 4, 2, 2, 1)]).toEqual([(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4]);
  });

  it('weights partial pixels by their share, keeps the mean and the range, leaves a constant alone', () => {
    const sw = 97,
      sh = 61,
      dw = 40,
      dh = 23;
    const src = Float32Array.from({ length: sw * sh }, (_, i) => ((i * 7919) % 101) / 100);
    const out = shrinkArea(src, sw, sh, dw, dh);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(src), 5);
    for (const v of out) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1 + 1e-6);
    }
    for (const v of shrinkArea(new Float32Array(sw * sh).fill(0.3), sw, sh, dw, dh)) expect(v).toBeCloseTo(0.3, 6);
  });

  it('refuses to enlarge', () => {
    expect(() => shrinkArea(new Float32Array(4), 2, 2, 3, 2)).toThrow(/2x2 can not shrink to 3x2/);
  });
});
