import { describe, expect, it } from 'vitest';
import { boxMeanInterleaved } from './box-mean.js';

/** The definition: the mean of every cell of the clipped window, summed one by one. */
function bruteForce(src: Float32Array, width: number, height: number, channels: number, r: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        let n = 0;
        for (let j = Math.max(0, y - r); j <= Math.min(height - 1, y + r); j++) {
          for (let i = Math.max(0, x - r); i <= Math.min(width - 1, x + r); i++, n++) s += src[(j * width + i) * channels + c];
        }
        out[(y * width + x) * channels + c] = s / n;
      }
    }
  }
  return out;
}

describe('boxMeanInterleaved', () => {
  it.each([
    [17, 11, 1, 2],
    [9, 13, 4, 3],
    [5, 4, 13, 7], // radius beyond the picture: every window is the whole picture
    [1, 1, 3, 2],
    [1, 6, 2, 1],
  ])('%ix%i with %i channels, radius %i, equals the clipped-window mean', (width, height, channels, r) => {
    const src = Float32Array.from({ length: width * height * channels }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.3);
    const got = boxMeanInterleaved(src, width, height, channels, r);
    const want = bruteForce(src, width, height, channels, r);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 6);
  });

  it('may write over its input', () => {
    const src = Float32Array.from({ length: 8 * 6 * 2 }, (_, i) => (i % 5) / 4);
    const want = boxMeanInterleaved(src, 8, 6, 2, 2);
    expect(boxMeanInterleaved(src, 8, 6, 2, 2, src)).toBe(src);
    expect([...src]).toEqual([...want]);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => boxMeanInterleaved(new Float32Array(5), 2, 2, 1, 1)).toThrow(/5 values for 2x2x1/);
  });
});
