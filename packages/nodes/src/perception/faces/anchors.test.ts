import { describe, expect, it } from 'vitest';
import { ssdAnchors } from './anchors.js';
import { FULL_RANGE, SHORT_RANGE } from './blazeface-model.js';

describe('ssdAnchors', () => {
  it('gives the 896 anchors of both BlazeFace variants: 16x16 cells with 2, then 8x8 with 6', () => {
    for (const v of [SHORT_RANGE, FULL_RANGE]) {
      const a = ssdAnchors(v.size, v.strides);
      expect(a.length).toBe(896);
      expect(a[0]).toEqual({ x: 0.5 / 16, y: 0.5 / 16 });
      expect(a[1]).toEqual(a[0]);
      expect(a[2]).toEqual({ x: 1.5 / 16, y: 0.5 / 16 });
      expect(a[511]).toEqual({ x: 15.5 / 16, y: 15.5 / 16 });
      expect(a[512]).toEqual({ x: 0.5 / 8, y: 0.5 / 8 });
      expect(a[517]).toEqual(a[512]);
      expect(a[518]).toEqual({ x: 1.5 / 8, y: 0.5 / 8 });
      expect(a[895]).toEqual({ x: 7.5 / 8, y: 7.5 / 8 });
    }
  });
});
