import { describe, expect, it } from 'vitest';
import { computeCues } from '../../packages/nodes/src/i2v/parallax/analysis/cues.js';
import { findSubject } from '../../packages/nodes/src/i2v/parallax/analysis/matte.js';
import { findRegions } from '../../packages/nodes/src/i2v/parallax/analysis/regions.js';

const w = 640;
const h = 368;

/** Subject detection on a generated 640×368 picture, `pixel(x, y)` giving each pixel's RGB. */
function subjectOf(pixel: (x: number, y: number) => [number, number, number]) {
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set(pixel(x, y), (y * w + x) * 3);
  const cues = computeCues(rgb, w, h, 4);
  return findSubject(cues, findRegions(cues));
}

describe('subject detection', () => {
  it('finds no subject in sharp reeds against a clear sky and calm water: flat is not defocused', () => {
    const subject = subjectOf((x, y) => {
      // Thin, sharp, dark reeds over the lower right.
      if (x > w * 0.55 && y > h * 0.65 && y < h * 0.85 && x % 7 === 0) return [40, 40, 40];
      // A smooth evening gradient, sky above and its reflection below.
      const t = y < h * 0.6 ? y / (h * 0.6) : 1 - (y - h * 0.6) / (h * 0.4);
      return [120 + 100 * t, 90 + 60 * t, 170 + 40 * t];
    });
    expect(subject.found).toBe(false);
    expect(subject.reason).toMatch(/flat/);
  });
});

describe('ground-attached foreground', () => {
  it('is left to the ground depth, not cut out as a flat subject, when it spans the width and reaches the bottom', () => {
    const subject = subjectOf((x, y) => {
      // Upper part: soft, blurred-looking shapes (defocused); lower 40%: a sharp plank pattern over 85% of the width.
      const sharp = y > h * 0.6 && x > w * 0.07 && x < w * 0.92;
      const v = sharp ? (((x >> 2) + (y >> 3)) % 2 ? 200 : 40) : 120 + 90 * Math.sin(x / 9) * Math.cos(y / 7);
      return [v, v, v];
    });
    expect(subject.found).toBe(false);
    expect(subject.reason).toMatch(/ground reaching the bottom/);
  });
});
