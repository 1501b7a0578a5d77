import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hypot2, hypot3 } from '../../packages/nodes/src/i2v/parallax/analysis/hypot.js';

describe('analysis hypot', () => {
  it('gives exactly the doubles Math.hypot gives (the analysis must not change a bit)', () => {
    const num = fc.oneof(fc.double({ noNaN: false }), fc.double({ min: -2, max: 2 }), fc.integer({ min: -400, max: 400 }), fc.constantFrom(0, -0, Infinity, -Infinity, NaN));
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        expect(Object.is(hypot2(a, b), Math.hypot(a, b))).toBe(true);
        expect(Object.is(hypot3(a, b, c), Math.hypot(a, b, c))).toBe(true);
      }),
      { numRuns: 5000 },
    );
    // Every integer distance the background's fade table asks for.
    let mismatches = 0;
    for (let dx = 0; dx <= 400; dx++) for (let dy = 0; dy <= 400; dy++) if (hypot2(dx, dy) !== Math.hypot(dx, dy)) mismatches++;
    expect(mismatches).toBe(0);
  });
});
