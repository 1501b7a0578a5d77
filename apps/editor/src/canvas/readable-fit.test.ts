import { describe, expect, it } from 'vitest';
import { READABLE_ZOOM, readableFit } from './readable-fit.js';

describe('readableFit', () => {
  it('centres a graph that fits, never zooming in past maxZoom', () => {
    const v = readableFit({ x: 0, y: 0, width: 200, height: 100 }, 1000, 600);
    expect(v.zoom).toBe(1);
    expect(v.x).toBe(400);
    expect(v.y).toBe(250);
  });

  it('zooms out to fit while the zoom stays readable', () => {
    const v = readableFit({ x: 0, y: 0, width: 1000, height: 500 }, 1000, 600, 0);
    expect(v.zoom).toBeCloseTo(1);
    const w = readableFit({ x: 0, y: 0, width: 1050, height: 500 }, 1000, 600, 0);
    expect(w.zoom).toBeCloseTo(1000 / 1050);
  });

  it('stops at the readable zoom and shows the start of a big graph (the rest scrolls)', () => {
    const v = readableFit({ x: 100, y: 50, width: 4000, height: 300 }, 800, 600, 0.1);
    expect(v.zoom).toBe(READABLE_ZOOM);
    // left edge of the graph sits at the padding; the short axis is centred
    expect(100 * v.zoom + v.x).toBeCloseTo(80);
    expect(50 * v.zoom + v.y + (300 * v.zoom) / 2).toBeCloseTo(300);
  });
});
