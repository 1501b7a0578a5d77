import { describe, expect, it } from 'vitest';
import { analyzePhoto } from '../../packages/nodes/src/i2v/parallax/analysis/analyze.js';
import { growMask, thresholdMask } from '../../packages/nodes/src/i2v/parallax/analysis/grow-mask.js';
import { guidedFilter } from '../../packages/nodes/src/i2v/parallax/analysis/guided-filter.js';
import { boxBlur, gaussBlur, normalizeRobust, resizePlane, resizeWindow } from '../../packages/nodes/src/i2v/parallax/filters.js';
import { generatedPhoto } from './helpers/photos.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect({ i, got: a[i] }).toEqual({ i, got: b[i] });
};

/** The guided filter written plainly with whole-plane box blurs: the streamed one must give these very numbers. */
function plainGuidedFilter(I: Float32Array, p: Float32Array, w: number, h: number, r: number, eps: number): Float32Array {
  const n = w * h;
  const Ip = new Float32Array(n);
  const II = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    Ip[i] = I[i] * p[i];
    II[i] = I[i] * I[i];
  }
  const [mI, mp, mIp, mII] = [I, p, Ip, II].map((x) => boxBlur(x, w, h, r));
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = (mIp[i] - mI[i] * mp[i]) / (mII[i] - mI[i] * mI[i] + eps);
    b[i] = mp[i] - a[i] * mI[i];
  }
  const [ma, mb] = [a, b].map((x) => boxBlur(x, w, h, r));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ma[i] * I[i] + mb[i];
  return out;
}

describe('analysis kernels (fast paths give the same numbers as the plain definitions)', () => {
  it('guidedFilter streamed through row rings equals whole-plane box blurs', () => {
    const rand = rng(7);
    for (const [w, h, r] of [
      [97, 61, 4],
      [40, 9, 4],
      [13, 30, 6],
      [200, 120, 8],
    ]) {
      const I = Float32Array.from({ length: w * h }, () => rand());
      const p = Float32Array.from({ length: w * h }, (_, i) => (i % w > w / 3 && i % w < (2 * w) / 3 ? 1 : 0) * rand());
      same(guidedFilter(I, p, w, h, r, 2e-3), plainGuidedFilter(I, p, w, h, r, 2e-3));
    }
  });

  it('growMask marks exactly where boxBlur of the mask is above 0, float residue below the mask included', () => {
    const rand = rng(11);
    for (const [w, h, r] of [
      [120, 80, 6],
      [64, 64, 2],
      [33, 90, 9],
    ]) {
      const values = new Float32Array(w * h);
      // A blob with a ragged edge somewhere inside (sometimes touching the frame).
      const cx = rand() * w;
      const cy = rand() * h;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) values[y * w + x] = Math.hypot(x - cx, (y - cy) * 1.3) < w / 4 + rand() * 5 ? rand() : 0;
      const subject = thresholdMask(values, w, h, 0.02, [0, 0, w, h]);
      const grown = growMask(subject, w, h, r);
      const plain = boxBlur(Float32Array.from(subject.mask), w, h, r);
      same(
        grown.mask,
        Array.from(plain, (v) => (v > 0 ? 1 : 0)),
      );
      let [x0, y0, x1, y1] = [w, h, 0, 0];
      plain.forEach((v, i) => {
        if (v <= 0) return;
        x0 = Math.min(x0, i % w);
        x1 = Math.max(x1, (i % w) + 1);
        y0 = Math.min(y0, Math.floor(i / w));
        y1 = Math.max(y1, Math.floor(i / w) + 1);
      });
      expect(grown.box).toEqual([x0, y0, x1, y1]);
    }
  });

  it('normalizeRobust picks the same percentiles as sorting the sample', () => {
    const rand = rng(5);
    for (const n of [1, 2, 7, 1000, 40001, 57600]) {
      for (const values of [() => rand(), () => Math.floor(rand() * 5) / 4, () => 0.25]) {
        const src = Float32Array.from({ length: n }, values);
        for (const p of [0.01, 0.05, 0.5]) {
          const step = n > 40000 ? Math.ceil(n / 40000) : 1;
          const sorted = Float32Array.from({ length: Math.floor(n / step) }, (_, i) => src[i * step]).sort();
          const lo = sorted[Math.floor(p * (sorted.length - 1))];
          const hi = sorted[Math.floor((1 - p) * (sorted.length - 1))];
          const span = hi - lo > 1e-9 ? hi - lo : 1;
          same(
            normalizeRobust(src, p),
            Float32Array.from(src, (v) => Math.min(1, Math.max(0, (v - lo) / span))),
          );
        }
      }
    }
  });

  it('gaussBlur is three box blurs', () => {
    const rand = rng(9);
    const src = Float32Array.from({ length: 64 * 36 }, () => rand());
    for (const r of [1, 2, 6]) same(gaussBlur(src, 64, 36, r), boxBlur(boxBlur(boxBlur(src, 64, 36, r), 64, 36, r), 64, 36, r));
  });

  it('resizeWindow is the window of resizePlane', () => {
    const rand = rng(3);
    const src = Float32Array.from({ length: 31 * 17 }, () => rand());
    const full = resizePlane(src, 31, 17, 124, 68);
    const win = resizeWindow(src, 31, 17, 124, 68, [10, 5, 70, 40]);
    same(
      win,
      Array.from({ length: 60 * 35 }, (_, i) => full[(5 + Math.floor(i / 60)) * 124 + 10 + (i % 60)]),
    );
  });

  it('analyzePhoto gives the same bytes for the same photo', async () => {
    const img = await generatedPhoto(640, 368);
    const a = await analyzePhoto(img.data, img.width, img.height);
    const b = await analyzePhoto(img.data.slice(), img.width, img.height);
    for (const k of ['matte', 'background', 'unknown', 'depth', 'masks', 'detail'] as const) same(a[k], b[k]);
    expect(a.stats).toEqual(b.stats);
  });
});
