import type { ParallaxScene } from '../scene.js';
import { hashNoise } from './noise.js';

/**
 * Noise-to-detail refinement of the synthesized background (behind the subject, beyond the frame): each step
 * adds seeded lattice noise one octave finer, scaled by the texture energy of the photo around it, so filled
 * areas get grain like their surroundings instead of a smooth smear. Steps go coarse to fine.
 *
 * Only synthesized pixels change, so they are listed once as row spans and every step visits just those;
 * per-column lookups (field cell, lattice cell, blend weight) are tables, not divisions per pixel.
 */
export class DetailRefiner {
  private readonly acc: Float32Array;
  private readonly pw: number;
  private readonly ph: number;
  /** Runs of synthesized pixels (unknown > 0): [row, x0, x1) triples. */
  private readonly spans: Int32Array;
  /** Field cell column of each canvas column. */
  private readonly qxOf: Int32Array;
  /** Per-step lattice column and smoothed weight of each canvas column. */
  private readonly ixOf: Int32Array;
  private readonly fxOf: Float64Array;

  constructor(
    private readonly s: ParallaxScene,
    private readonly seed: number,
    private readonly steps: number,
  ) {
    this.pw = s.width + 2 * s.pad;
    this.ph = s.height + 2 * s.pad;
    this.acc = new Float32Array(this.pw * this.ph);
    this.spans = unknownSpans(s.unknown, this.pw, this.ph);
    this.qxOf = new Int32Array(this.pw);
    for (let x = 0; x < this.pw; x++) this.qxOf[x] = Math.min(s.qw - 1, Math.max(0, ((x - (s.q - 1) / 2) / s.q) | 0));
    this.ixOf = new Int32Array(this.pw);
    this.fxOf = new Float64Array(this.pw);
  }

  /** Adds octave k (0 = coarsest) of `steps`. */
  step(k: number): void {
    const { s, pw, ph, acc, spans, qxOf, ixOf, fxOf } = this;
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
    for (let x = 0; x < pw; x++) {
      const lx = x * inv;
      const ix = Math.floor(lx);
      const fx = lx - ix;
      ixOf[x] = ix;
      fxOf[x] = fx * fx * (3 - 2 * fx);
    }
    const unknown = s.unknown;
    const detail = s.detail;
    const qw = s.qw;
    let y = -1;
    let iy = 0;
    let fy = 0;
    let qRow = 0;
    for (let r = 0; r < spans.length; r += 3) {
      if (spans[r] !== y) {
        y = spans[r];
        const qy = Math.min(s.qh - 1, Math.max(0, ((y - (s.q - 1) / 2) / s.q) | 0));
        qRow = qy * qw;
        const ly = y * inv;
        iy = Math.floor(ly);
        fy = ly - iy;
        fy = fy * fy * (3 - 2 * fy);
      }
      const row = y * pw;
      const latRow = iy * lw;
      for (let x = spans[r + 1], x1 = spans[r + 2]; x < x1; x++) {
        const o = row + x;
        // Same expression, same order as ever: the refined bytes do not depend on how pixels are visited.
        const amp = (unknown[o] / 255) * detail[qRow + qxOf[x]] * 255 * gain;
        const fx = fxOf[x];
        const l = latRow + ixOf[x];
        const a = lat[l];
        const b = lat[l + 1];
        const c = lat[l + lw];
        const d = lat[l + lw + 1];
        acc[o] += amp * (a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy);
      }
    }
  }

  /** The detail added so far at canvas pixel o (0 where the photo is known). */
  detailAt(o: number): number {
    return this.acc[o];
  }

  /** The background with the detail added so far. */
  result(): Uint8Array {
    const bg = this.s.background;
    const out = new Uint8ClampedArray(bg.length);
    out.set(bg);
    // Known pixels carry no detail: only the spans differ from the background.
    const { acc, spans, pw } = this;
    for (let r = 0; r < spans.length; r += 3) {
      const row = spans[r] * pw;
      for (let o = row + spans[r + 1], end = row + spans[r + 2], j = o * 3; o < end; o++, j += 3) {
        const a = acc[o];
        out[j] = bg[j] + a;
        out[j + 1] = bg[j + 1] + a;
        out[j + 2] = bg[j + 2] + a;
      }
    }
    return new Uint8Array(out.buffer);
  }
}

/** Row runs [y, x0, x1) of the pixels where `unknown` > 0. */
function unknownSpans(unknown: Uint8Array, pw: number, ph: number): Int32Array {
  let out = new Int32Array(3 * 1024);
  let n = 0;
  for (let y = 0; y < ph; y++) {
    const row = y * pw;
    let x = 0;
    while (x < pw) {
      while (x < pw && unknown[row + x] === 0) x++;
      if (x === pw) break;
      const x0 = x;
      while (x < pw && unknown[row + x] !== 0) x++;
      if (n + 3 > out.length) {
        const grown = new Int32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[n++] = y;
      out[n++] = x0;
      out[n++] = x;
    }
  }
  return out.subarray(0, n);
}
