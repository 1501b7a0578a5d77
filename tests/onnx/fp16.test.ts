import { describe, expect, it } from 'vitest';
import { fromHalf, fromHalfArray, toHalf, toHalfArray } from '../../packages/nodes/src/onnx/fp16.js';
import { gaussian } from '../../packages/nodes/src/onnx/sampling/noise.js';

describe('half precision', () => {
  it('encodes known values (IEEE 754 binary16)', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(0.1)).toBe(0x2e66);
    expect(fromHalf(0x3555)).toBeCloseTo(0.333251953125, 12);
  });

  it('rounds to nearest even: 1 + 2^-11 (a tie) stays 1, 1 + 3*2^-11 goes up', () => {
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('bulk conversion equals the scalar one, and round-trips within half an ulp', () => {
    const values = gaussian(9, 0, 50_000).map((v, i) => (i % 7 === 0 ? v * 1e-6 : i % 11 === 0 ? v * 7e4 : v * 30));
    const half = toHalfArray(values);
    for (let i = 0; i < values.length; i++) expect(half[i]).toBe(toHalf(values[i]));
    const back = fromHalfArray(half);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Math.abs(v) > 65504 || Math.abs(v) < 6.1e-5) continue;
      expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-12);
    }
  });
});
