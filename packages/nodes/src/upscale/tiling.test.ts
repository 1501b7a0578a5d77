import { describe, expect, it } from 'vitest';
import { accumulateTile, axisWeights, extractTile, featherFor, overlapForContext, planAxis, toBytes } from './tiling.js';

describe('tile plans', () => {
  it('covers the axis with as few equal tiles as fit, neighbours sharing at least the overlap', () => {
    for (const [size, tile, overlap] of [
      [1280, 384, 28],
      [720, 384, 28],
      [1000, 256, 80],
      [257, 256, 10],
      [97, 32, 8],
    ]) {
      const plan = planAxis(size, tile, overlap);
      expect(plan.length).toBeLessThanOrEqual(tile);
      expect(plan.starts[0]).toBe(0);
      expect(plan.starts.at(-1)! + plan.length).toBe(size);
      for (let i = 1; i < plan.starts.length; i++)
        expect(plan.starts[i - 1] + plan.length - plan.starts[i]).toBeGreaterThanOrEqual(overlap);
      // One tile fewer could not cover it with that overlap.
      const n = plan.starts.length;
      expect((n - 1) * (tile - overlap) + overlap).toBeLessThan(size);
    }
    expect(planAxis(1280, 384, 28)).toEqual({ starts: [0, 313, 626, 939], length: 341 });
    expect(planAxis(200, 384, 28)).toEqual({ starts: [0], length: 200 });
  });

  it('keeps a fixed-size network at its size, even past a short axis', () => {
    expect(planAxis(100, 128, 16, true)).toEqual({ starts: [0], length: 128 });
    const p = planAxis(300, 128, 16, true);
    expect(p.length).toBe(128);
    expect(p.starts.at(-1)).toBe(172);
  });

  it('refuses an overlap of half the tile or more', () => {
    expect(() => planAxis(1000, 64, 32)).toThrow(/overlap 32 must be under half the tile size 64/);
  });

  it('leaves at least the context as margin', () => {
    for (const context of [0, 1, 10, 12, 30]) expect(featherFor(overlapForContext(context)).margin).toBeGreaterThanOrEqual(context);
    expect(overlapForContext(10)).toBe(27);
  });
});

describe('feathered weights', () => {
  it('add up to exactly 1 at every output pixel, are 0 in the margins and 1 away from neighbours', () => {
    for (const [size, tile, overlap, scale] of [
      [1280, 384, 28, 2],
      [97, 32, 12, 3],
      [500, 200, 80, 4],
    ]) {
      const plan = planAxis(size, tile, overlap);
      const f = featherFor(overlap);
      const sum = new Float64Array(size * scale);
      plan.starts.forEach((start, i) => {
        const w = axisWeights(plan, i, scale, f);
        w.forEach((v, k) => (sum[start * scale + k] += v));
        if (i > 0) for (let k = 0; k < f.margin * scale; k++) expect(w[k]).toBe(0);
        if (i === 0) expect(w[0]).toBe(1);
      });
      for (const v of sum) expect(v).toBeCloseTo(1, 6);
    }
  });

  it('blend two tiles into one picture', () => {
    // A 10x4 RGB "frame", two tiles of 6 sharing 2 pixels at scale 1 without feathering margin: acc = frame.
    const frame = Uint8Array.from({ length: 10 * 4 * 3 }, (_, i) => i % 251);
    const plan = planAxis(10, 6, 2);
    const f = featherFor(2);
    const wy = new Float32Array(4).fill(1);
    const acc = new Float32Array(frame.length);
    plan.starts.forEach((x0, i) => {
      const t = extractTile(frame, 10, 4, x0, 0, plan.length, 4);
      accumulateTile(acc, 10, 4, t, plan.length, 4, x0, 0, axisWeights(plan, i, 1, f), wy);
    });
    expect(Array.from(toBytes(acc))).toEqual(Array.from(frame));
  });

  it('repeats edge pixels outside the frame', () => {
    const frame = Uint8Array.from([10, 20, 30, 40, 50, 60]); // 2x1
    expect(Array.from(extractTile(frame, 2, 1, -1, 0, 4, 1))).toEqual([10, 20, 30, 10, 20, 30, 40, 50, 60, 40, 50, 60]);
  });
});
