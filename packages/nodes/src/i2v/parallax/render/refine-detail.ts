import type { ParallaxScene } from '../scene.js';
import { hashNoise } from './noise.js';

/**
 * Noise-to-detail refinement of the synthesized background (behind the subject, beyond the frame): each step
 * adds seeded lattice noise one octave finer, scaled by the texture energy of the photo around it, so filled
 * areas get grain like their surroundings instead of a smooth smear. Steps go coarse to fine.
 */
export class DetailRefiner {
  private readonly acc: Float32Array;
  private readonly pw: number;
  private readonly ph: number;

  constructor(
    private readonly s: ParallaxScene,
    private readonly seed: number,
    private readonly steps: number,
  ) {
    this.pw = s.width + 2 * s.pad;
    this.ph = s.height + 2 * s.pad;
    this.acc = new Float32Array(this.pw * this.ph);
  }

  /** Adds octave k (0 = coarsest) of `steps`. */
  step(k: number): void {
    const { s, pw, ph } = this;
    const S = s.height / 720;
    const coarse = 24 * S;
    const fine = 1.5 * S;
    const frac = this.steps <= 1 ? 1 : k / (this.steps - 1);
    const spacing = Math.max(1, coarse * Math.pow(fine / coarse, frac));
    const gain = 0.9 / Math.sqrt(this.steps);
    const salt = (this.seed * 31 + k * 7919) | 0;
    const inv = 1 / spacing;
    // Lattice values once per step (not four hashes per pixel).
    const lw = Math.ceil(pw * inv) + 2;
    const lh = Math.ceil(ph * inv) + 2;
    const lat = new Float32Array(lw * lh);
    for (let j = 0; j < lh; j++) for (let i = 0; i < lw; i++) lat[j * lw + i] = hashNoise(i, j, salt);
    for (let y = 0; y < ph; y++) {
      const qy = Math.min(s.qh - 1, Math.max(0, ((y - (s.q - 1) / 2) / s.q) | 0));
      const ly = y * inv;
      const iy = Math.floor(ly);
      let fy = ly - iy;
      fy = fy * fy * (3 - 2 * fy);
      for (let x = 0; x < pw; x++) {
        const o = y * pw + x;
        const u = s.unknown[o];
        if (u === 0) continue;
        const qx = Math.min(s.qw - 1, Math.max(0, ((x - (s.q - 1) / 2) / s.q) | 0));
        const amp = (u / 255) * s.detail[qy * s.qw + qx] * 255 * gain;
        const lx = x * inv;
        const ix = Math.floor(lx);
        let fx = lx - ix;
        fx = fx * fx * (3 - 2 * fx);
        const l = iy * lw + ix;
        const a = lat[l];
        const b = lat[l + 1];
        const c = lat[l + lw];
        const d = lat[l + lw + 1];
        this.acc[o] += amp * (a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy);
      }
    }
  }

  /** The background with the detail added so far. */
  result(): Uint8Array {
    const bg = this.s.background;
    const out = new Uint8ClampedArray(bg.length);
    for (let i = 0, j = 0; i < this.acc.length; i++, j += 3) {
      const a = this.acc[i];
      out[j] = bg[j] + a;
      out[j + 1] = bg[j + 1] + a;
      out[j + 2] = bg[j + 2] + a;
    }
    return new Uint8Array(out.buffer);
  }
}
