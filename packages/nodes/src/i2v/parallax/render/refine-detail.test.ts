import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script, no types
import { watToWasm } from '../../../../scripts/wat-to-wasm.mjs';
import { createRng } from '../rng.js';
import type { ParallaxScene } from '../scene.js';
import { hashNoise } from './noise.js';
import { DetailRefiner } from './refine-detail.js';

/** A small scene with a synthesized margin, a soft-edged hole and uneven texture energy. */
function scene(width: number, height: number, pad: number, seed: number): ParallaxScene {
  const rnd = createRng(seed, 'refine-test');
  const pw = width + 2 * pad;
  const ph = height + 2 * pad;
  const q = 4;
  const qw = Math.ceil(pw / q);
  const qh = Math.ceil(ph / q);
  const background = Uint8Array.from({ length: pw * ph * 3 }, () => Math.floor(rnd() * 256));
  const unknown = new Uint8Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const margin = x < pad || y < pad || x >= pad + width || y >= pad + height;
      const d = Math.hypot(x - pw / 2, y - ph / 2) / (height / 4);
      unknown[y * pw + x] = margin ? 255 : d < 1 ? Math.round(255 * Math.min(1, (1 - d) * 3)) : 0;
    }
  }
  return {
    width,
    height,
    pad,
    q,
    qw,
    qh,
    rgb: new Uint8Array(width * height * 3),
    matte: new Uint8Array(width * height),
    background,
    unknown,
    depth: new Float32Array(qw * qh).fill(1),
    masks: new Float32Array(5 * qw * qh),
    detail: Float32Array.from({ length: qw * qh }, () => rnd() * 0.2),
    subjectDepth: 0,
    subjectBox: [0, 0, 0, 0],
    horizon: 0.4,
    stats: {},
  };
}

/** The refinement as first written: every canvas pixel, one octave at a time, straight from the formula. */
function reference(s: ParallaxScene, seed: number, steps: number): Uint8Array {
  const pw = s.width + 2 * s.pad;
  const ph = s.height + 2 * s.pad;
  const acc = new Float32Array(pw * ph);
  for (let k = 0; k < steps; k++) {
    const S = s.height / 720;
    const coarse = 24 * S;
    const fine = 1.5 * S;
    const frac = steps <= 1 ? 1 : k / (steps - 1);
    const spacing = Math.max(1, coarse * Math.pow(fine / coarse, frac));
    const gain = 0.9 / Math.sqrt(steps);
    const salt = (seed * 31 + k * 7919) | 0;
    const inv = 1 / spacing;
    const lat = (i: number, j: number) => Math.fround(hashNoise(i, j, salt));
    for (let y = 0; y < ph; y++) {
      const qy = Math.min(s.qh - 1, Math.max(0, ((y - (s.q - 1) / 2) / s.q) | 0));
      const iy = Math.floor(y * inv);
      let fy = y * inv - iy;
      fy = fy * fy * (3 - 2 * fy);
      for (let x = 0; x < pw; x++) {
        const u = s.unknown[y * pw + x];
        if (u === 0) continue;
        const qx = Math.min(s.qw - 1, Math.max(0, ((x - (s.q - 1) / 2) / s.q) | 0));
        const amp = (u / 255) * s.detail[qy * s.qw + qx] * 255 * gain;
        const ix = Math.floor(x * inv);
        let fx = x * inv - ix;
        fx = fx * fx * (3 - 2 * fx);
        const [a, b, c, d] = [lat(ix, iy), lat(ix + 1, iy), lat(ix, iy + 1), lat(ix + 1, iy + 1)];
        acc[y * pw + x] += amp * (a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy);
      }
    }
  }
  const out = new Uint8ClampedArray(s.background.length);
  for (let i = 0; i < acc.length; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = s.background[i * 3 + c] + acc[i];
  return new Uint8Array(out.buffer);
}

describe('DetailRefiner', () => {
  it('refine.wasm is the build of refine.wat (run `npm run build:wasm` after editing the .wat)', async () => {
    const text = readFileSync(new URL('./wasm/refine.wat', import.meta.url), 'utf8');
    const built: Buffer = await watToWasm(text, 'refine.wat');
    expect(Buffer.compare(built, readFileSync(new URL('./wasm/refine.wasm', import.meta.url)))).toBe(0);
  });

  it.each([
    [1, 7, 24],
    [3, 42, 24],
    [6, 42, 24],
    [6, 1234567, 24],
    [4, 9, 0],
  ])('gives the bytes of the plain formula (%i steps, seed %i, margin %i)', (steps, seed, pad) => {
    // 720 px tall, so the finest octaves reach the 1-2 px lattice spacing of real scenes. Without a margin,
    // only the hole is synthesized and whole rows above and below it have nothing to refine.
    const s = scene(96, 720, pad, seed);
    const refiner = new DetailRefiner(s, seed, steps);
    for (let k = 0; k < steps; k++) refiner.step(k);
    const got = refiner.result();
    const want = reference(s, seed, steps);
    expect(got.length).toBe(want.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
    // And it did refine something.
    let changed = 0;
    for (let i = 0; i < got.length; i++) if (got[i] !== s.background[i]) changed++;
    expect(changed).toBeGreaterThan(got.length / 10);
  });

  it.each([16, 0])(
    'adds detail only where the background was synthesized, step by step, and says where each pixel is (margin %i)',
    (pad) => {
      const s = scene(64, 48, pad, 3);
      const pw = 64 + 2 * pad;
      const ph = 48 + 2 * pad;
      const refiner = new DetailRefiner(s, 5, 4);
      const xs = Int32Array.from({ length: pw }, (_, x) => x);
      const where = Array.from({ length: ph }, (_, y) => {
        const out = new Int32Array(pw);
        refiner.locate(y, xs, out);
        return out;
      });
      let before = Float32Array.from(refiner.detail);
      for (let k = 0; k < 4; k++) {
        refiner.step(k);
        const now = refiner.detail;
        expect(now[now.length - 1]).toBe(0);
        let moved = 0;
        for (let y = 0; y < ph; y++) {
          for (let x = 0; x < pw; x++) {
            const i = where[y][x];
            if (s.unknown[y * pw + x] === 0) expect(i).toBe(now.length - 1);
            else if (now[i] !== before[i]) moved++;
          }
        }
        expect(moved).toBeGreaterThan(0);
        before = Float32Array.from(now);
      }
      // The background is the photo's own where it was known, and takes the detail (rounded) where it was not.
      const out = refiner.result();
      for (let y = 0; y < ph; y++) {
        for (let x = 0; x < pw; x++) {
          const o = y * pw + x;
          const d = s.unknown[o] === 0 ? 0 : before[where[y][x]];
          for (let c = 0; c < 3; c++)
            expect(Math.abs(out[o * 3 + c] - Math.min(255, Math.max(0, s.background[o * 3 + c] + d)))).toBeLessThanOrEqual(0.5);
        }
      }
    },
  );

  it.each([16, 0])('draws preview backgrounds: each pixel takes the mean detail of its 2×2 canvas pixels (margin %i)', (pad) => {
    const s = scene(64, 48, pad, 11);
    const pw = 64 + 2 * pad;
    const ph = 48 + 2 * pad;
    const refiner = new DetailRefiner(s, 2, 3);
    // A quarter-size preview: each pixel averages the canvas pixels (4x + 1, 4y + 1) to (4x + 2, 4y + 2).
    const xs = Int32Array.from({ length: pw / 4 }, (_, x) => 4 * x + 1);
    const ys = Int32Array.from({ length: ph / 4 }, (_, y) => 4 * y + 1);
    const base = Uint8Array.from({ length: xs.length * ys.length * 3 }, (_, i) => (i * 37) % 256);
    const { draw, pixels } = refiner.previewer(xs, ys, base);
    const at = (y: number, x: number) => {
      const out = new Int32Array(1);
      refiner.locate(y, Int32Array.of(x), out);
      return out[0];
    };
    const taps = (p: number) => {
      const [x, y] = [xs[p % xs.length], ys[Math.floor(p / xs.length)]];
      return [at(y, x), at(y, x + 1), at(y + 1, x), at(y + 1, x + 1)];
    };
    const over = Array.from({ length: xs.length * ys.length }, (_, p) => p).filter((p) => taps(p).some((i) => i !== refiner.known));
    expect(Array.from(pixels)).toEqual(over);
    expect(over.length).toBeGreaterThan(0);
    expect(over.length).toBeLessThan(xs.length * ys.length);
    for (let k = 0; k < 3; k++) {
      refiner.step(k);
      const got = draw();
      const d = refiner.detail;
      const want = new Uint8ClampedArray(base);
      for (const p of over) {
        const [a, b, c, e] = taps(p).map((i) => d[i]);
        for (let ch = 0; ch < 3; ch++) want[p * 3 + ch] = base[p * 3 + ch] + (a + b + c + e) / 4;
      }
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(Buffer.compare(Buffer.from(got), Buffer.from(base))).not.toBe(0);
    }
  });
});
