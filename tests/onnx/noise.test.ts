import { describe, expect, it } from 'vitest';
import { gaussian, gaussianNoise, philox4x32 } from '../../packages/nodes/src/onnx/sampling/noise.js';

describe('Philox4x32-10', () => {
  // Known-answer vectors published with Random123 (kat_vectors, philox4x32_10).
  it.each([
    [
      [0, 0, 0, 0],
      [0, 0],
      [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
    ],
    [
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0xffffffff, 0xffffffff],
      [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
    ],
    [
      [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
      [0xa4093822, 0x299f31d0],
      [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
    ],
  ])('matches the Random123 known answers for counter %j key %j', (c, k, want) => {
    const out = new Uint32Array(4);
    philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
    expect([...out]).toEqual(want);
  });
});

describe('gaussian noise', () => {
  it('gives the documented golden values (seed 42, stream 0)', () => {
    // If these change, every saved seed in every user's workflow changes its video: never update them.
    const golden = [
      0.8864974975585938, 0.4393560588359833, -0.15660962462425232, -0.013718678615987301, -0.49410051107406616, -0.37216684222221375,
    ];
    expect([...gaussian(42, 0, 6)]).toEqual(golden);
  });

  it('is a pure function of (seed, stream, index): any offset gives the same values', () => {
    const whole = gaussian(7, 3, 101);
    const tail = new Float32Array(50);
    gaussianNoise(7, 3, tail, 51);
    expect([...tail]).toEqual([...whole.slice(51)]);
  });

  it('differs between seeds and streams', () => {
    expect(gaussian(1, 0, 4)).not.toEqual(gaussian(2, 0, 4));
    expect(gaussian(1, 0, 4)).not.toEqual(gaussian(1, 1, 4));
  });

  it('accepts seeds above 2^32 and keeps them distinct', () => {
    expect(gaussian(2 ** 32 + 5, 0, 4)).not.toEqual(gaussian(5, 0, 4));
  });

  it('is standard normal', () => {
    const g = gaussian(123, 0, 400_000);
    let m = 0;
    for (const x of g) m += x;
    m /= g.length;
    let v = 0;
    let tail = 0;
    for (const x of g) {
      v += (x - m) ** 2;
      if (Math.abs(x) > 1.959964) tail++;
    }
    v /= g.length;
    expect(Math.abs(m)).toBeLessThan(0.006);
    expect(Math.abs(v - 1)).toBeLessThan(0.01);
    expect(Math.abs(tail / g.length - 0.05)).toBeLessThan(0.002);
  });
});
