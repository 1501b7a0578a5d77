import { describe, expect, it } from 'vitest';
import { chromaBytes, cutoutChroma, halfAlpha, lumaPlane, rgbToI420 } from './yuv.js';

const px = (...rgb: number[]) => Uint8Array.from(rgb);

describe('BT.709 limited-range conversion', () => {
  it.each([
    ['black', [0, 0, 0], [16, 128, 128]],
    ['white', [255, 255, 255], [235, 128, 128]],
    ['red', [255, 0, 0], [63, 102, 240]],
    ['green', [0, 255, 0], [173, 42, 26]],
    ['blue', [0, 0, 255], [32, 240, 118]],
  ])('%s', (_name, rgb, yuv) => {
    // A 2×2 block of one colour: Y for each pixel, then one Cb and one Cr.
    const frame = px(...rgb, ...rgb, ...rgb, ...rgb);
    expect([...rgbToI420(frame, 2, 2)]).toEqual([yuv[0], yuv[0], yuv[0], yuv[0], yuv[1], yuv[2]]);
  });

  it('averages chroma over each 2×2 block, weighted by alpha for a cut-out layer', () => {
    const frame = px(255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255);
    const { u, v } = chromaBytes(frame, 2, 2);
    const red = cutoutChroma(frame, 2, 2, px(255, 255, 0, 0));
    const even = cutoutChroma(frame, 2, 2, px(255, 255, 255, 255));
    expect([red.u[0], red.v[0]]).toEqual([102, 240]);
    expect(u[0]).toBeGreaterThan(102);
    expect(u[0]).toBeLessThan(240);
    // Equal weights give the plain average, as the integer path computes it.
    expect([even.u[0], even.v[0]]).toEqual([u[0], v[0]]);
    // Fully transparent blocks are neutral grey.
    expect(cutoutChroma(frame, 2, 2, px(0, 0, 0, 0)).u[0]).toBe(128);
  });

  it('repeats the last column and row, so bilinear taps at the edge stay inside', () => {
    const frame = new Uint8Array(4 * 2 * 3).map((_, i) => (i * 37) % 256);
    const { u, cw, ch } = chromaBytes(frame, 4, 2);
    expect([cw, ch]).toEqual([2, 1]);
    expect(u.length).toBe(3 * 2);
    expect(u[2]).toBe(u[1]);
    expect([...u.subarray(3)]).toEqual([...u.subarray(0, 3)]);
    const cut = cutoutChroma(frame, 4, 2, new Uint8Array(8).fill(255));
    expect(cut.v[2]).toBe(cut.v[1]);
    expect([...cut.v.subarray(3)]).toEqual([...cut.v.subarray(0, 3)]);
    expect([...halfAlpha(px(0, 255, 255, 255, 0, 0, 0, 0), 4, 2)]).toEqual([64, 128, 128, 64, 128, 128]);
  });

  it('luma of a grey ramp rises monotonically from 16 to 235', () => {
    const ramp = new Uint8Array(256 * 3).map((_, i) => Math.floor(i / 3));
    const y = lumaPlane(ramp, 256, 1);
    expect(y[0]).toBe(16);
    expect(y[255]).toBe(235);
    for (let i = 1; i < 256; i++) expect(y[i]).toBeGreaterThanOrEqual(y[i - 1]);
  });
});
