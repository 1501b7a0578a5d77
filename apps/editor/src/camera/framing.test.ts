import { describe, expect, it } from 'vitest';
import { rectOf, viewOf, type ViewLimits } from './framing.js';

const lim: ViewLimits = { yaw: [-30, 30], pitch: [-30, 30], fov: [10, 90] };

describe('framing rectangles', () => {
  it('the photo camera frames the whole photo', () => {
    expect(rectOf({ rotation: [0, 0, 0], fov: 45 }, 16 / 9)).toEqual({ cx: 0.5, cy: 0.5, h: expect.closeTo(1, 9) });
  });
  it('turning right moves the frame right, looking up moves it up, a narrower view is smaller', () => {
    const r = rectOf({ rotation: [10, 5, 0], fov: 30 }, 16 / 9);
    expect(r.cx).toBeGreaterThan(0.5);
    expect(r.cy).toBeLessThan(0.5);
    expect(r.h).toBeLessThan(1);
  });
  it('round-trips and keeps to the limits', () => {
    const v = viewOf(rectOf({ rotation: [12, -7, 2], fov: 33 }, 1.5), 1.5, 2, lim);
    expect(v.rotation[0]).toBeCloseTo(12, 1);
    expect(v.rotation[1]).toBeCloseTo(-7, 1);
    expect(v.fov).toBeCloseTo(33, 1);
    expect(viewOf({ cx: 5, cy: 0.5, h: 0.01 }, 1.5, 0, lim)).toEqual({ rotation: [30, 0, 0], fov: 10 });
  });
});
