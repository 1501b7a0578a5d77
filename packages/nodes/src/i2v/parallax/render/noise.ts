import { createRng } from '../rng.js';

/** A tileable smooth noise texture (values 0..1) sampled with wrap-around: cheap per-pixel motion fields. */
export class NoiseTexture {
  static readonly SIZE = 128;
  readonly data: Float32Array;

  constructor(seed: number, stream: string) {
    const S = NoiseTexture.SIZE;
    const rnd = createRng(seed, stream);
    this.data = new Float32Array(S * S);
    // Three octaves of value noise on periodic lattices (8, 16, 32 cells per tile).
    let total = 0;
    for (const [cells, amp] of [
      [4, 0.55],
      [8, 0.3],
      [16, 0.15],
    ] as const) {
      const lat = Float32Array.from({ length: cells * cells }, () => rnd());
      const step = S / cells;
      for (let y = 0; y < S; y++) {
        const gy = y / step;
        const y0 = Math.floor(gy);
        const fy = smooth(gy - y0);
        for (let x = 0; x < S; x++) {
          const gx = x / step;
          const x0 = Math.floor(gx);
          const fx = smooth(gx - x0);
          const a = lat[(y0 % cells) * cells + (x0 % cells)];
          const b = lat[(y0 % cells) * cells + ((x0 + 1) % cells)];
          const c = lat[((y0 + 1) % cells) * cells + (x0 % cells)];
          const d = lat[((y0 + 1) % cells) * cells + ((x0 + 1) % cells)];
          this.data[y * S + x] += amp * (a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy);
        }
      }
      total += amp;
    }
    for (let i = 0; i < this.data.length; i++) this.data[i] /= total;
  }

  /** Sample at texture coordinates where 1.0 = one tile (wraps). Returns about -0.5..0.5. */
  at(u: number, v: number): number {
    const S = NoiseTexture.SIZE;
    let x = (u - Math.floor(u)) * S;
    let y = (v - Math.floor(v)) * S;
    const x0 = x | 0;
    const y0 = y | 0;
    x -= x0;
    y -= y0;
    const x1 = (x0 + 1) & (S - 1);
    const y1 = (y0 + 1) & (S - 1);
    const d = this.data;
    const a = d[y0 * S + x0];
    const b = d[y0 * S + x1];
    const c = d[y1 * S + x0];
    const e = d[y1 * S + x1];
    return a + (b - a) * x + (c - a) * y + (a - b - c + e) * x * y - 0.5;
  }
}

const smooth = (t: number) => t * t * (3 - 2 * t);

/** Noise textures are pure functions of (seed, stream): previews and frames of one clip share them. */
const cache = new Map<string, NoiseTexture>();
export function noiseTexture(seed: number, stream: string): NoiseTexture {
  const key = `${seed}:${stream}`;
  let t = cache.get(key);
  if (!t) {
    t = new NoiseTexture(seed, stream);
    if (cache.size >= 64) cache.delete(cache.keys().next().value!);
    cache.set(key, t);
  }
  return t;
}

/** Integer hash → -1..1, for lattice noise over unbounded canvases. */
export function hashNoise(ix: number, iy: number, salt: number): number {
  let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ Math.imul(salt, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) / 4294967296) * 2 - 1;
}
