import type { ParallaxScene } from '../scene.js';
import { WasmRefine } from './wasm-refine.js';

/**
 * Noise-to-detail refinement of the synthesized background (behind the subject, beyond the frame): each step
 * adds seeded lattice noise one octave finer, scaled by the texture energy of the photo around it, so filled
 * areas get grain like their surroundings instead of a smooth smear. Steps go coarse to fine.
 *
 * Only synthesized pixels change, so they are listed once as row spans and every step visits just those, in
 * WebAssembly (refine.wat), with the step's lattice; per-column and per-row lookups are tables filled here.
 */
export class DetailRefiner {
  private readonly pw: number;
  private readonly ph: number;
  /** Runs of synthesized pixels (unknown > 0): [row, x0, x1) triples, and where each row's runs start. */
  private readonly spans: Int32Array;
  private readonly rowStart: Int32Array;
  /** Synthesized pixels before each run (its first pixel's place in `detail`), and their count. */
  private readonly before: Int32Array;
  private readonly pixels: number;
  private readonly kernel: WasmRefine;
  private done = false;

  constructor(
    private readonly s: ParallaxScene,
    private readonly seed: number,
    private readonly steps: number,
  ) {
    this.pw = s.width + 2 * s.pad;
    this.ph = s.height + 2 * s.pad;
    const qx = new Int32Array(this.pw);
    for (let x = 0; x < this.pw; x++) qx[x] = Math.min(s.qw - 1, Math.max(0, ((x - (s.q - 1) / 2) / s.q) | 0));
    const qrow = new Int32Array(this.ph);
    for (let y = 0; y < this.ph; y++) qrow[y] = Math.min(s.qh - 1, Math.max(0, ((y - (s.q - 1) / 2) / s.q) | 0)) * s.qw;
    let latticeSize = 0;
    for (let k = 0; k < steps; k++) {
      const { lw, lh } = this.octave(k);
      latticeSize = Math.max(latticeSize, lw * lh);
    }
    const gain = 0.9 / Math.sqrt(steps);
    this.kernel = new WasmRefine({ pw: this.pw, ph: this.ph, unknown: s.unknown, detail: s.detail, qx, qrow, latticeSize, gain });
    this.spans = this.kernel.spans.slice(); // its own copy: the kernel's memory may grow (and move) later
    this.rowStart = new Int32Array(this.ph + 1);
    this.before = new Int32Array(this.spans.length / 3);
    let pixels = 0;
    for (let r = 0, y = 0; r < this.spans.length; r += 3) {
      while (y <= this.spans[r]) this.rowStart[y++] = r;
      this.before[r / 3] = pixels;
      pixels += this.spans[r + 2] - this.spans[r + 1];
    }
    this.rowStart.fill(this.spans.length, this.spans.length ? this.spans[this.spans.length - 3] + 1 : 0);
    this.pixels = pixels;
  }

  /** Lattice spacing, size and seed of octave k. */
  private octave(k: number) {
    const S = this.s.height / 720;
    const coarse = 24 * S;
    const fine = 1.5 * S;
    const frac = this.steps <= 1 ? 1 : k / (this.steps - 1);
    const spacing = Math.max(1, coarse * Math.pow(fine / coarse, frac));
    const inv = 1 / spacing;
    return {
      inv,
      lw: Math.ceil(this.pw * inv) + 2,
      lh: Math.ceil(this.ph * inv) + 2,
      salt: (this.seed * 31 + k * 7919) | 0,
    };
  }

  /** Adds octave k (0 = coarsest) of `steps`. */
  step(k: number): void {
    if (this.done) throw new Error('The refinement is over: its result was taken');
    const { pw, ph, kernel } = this;
    const { inv, lw, lh, salt } = this.octave(k);
    // Lattice values once per step (not four hashes per pixel): hashNoise of every lattice point.
    kernel.lattice(lw, lh, salt);
    // Lattice cell and smoothed weight of every column and row.
    const { ix, fx, iy, fy } = kernel;
    latticeAxis(pw, inv, ix, fx);
    latticeAxis(ph, inv, iy, fy);
    kernel.octave(lw);
  }

  /**
   * The detail added so far per synthesized pixel, in row-span order, then one 0 (for known pixels): a live
   * view, not a copy. `locate` says where a canvas pixel's value is (the layout previews and tests read).
   */
  get detail(): Float32Array {
    return this.kernel.acc;
  }

  /**
   * What draws a progress preview's background (`base`, RGB, xs.length × ys.length) with the detail so far:
   * each preview pixel takes the mean detail of the 2×2 canvas pixels from (xs[x], ys[y]) (both ascending).
   * Also says which preview pixels take any (those over synthesized pixels).
   */
  previewer(xs: Int32Array, ys: Int32Array, base: Uint8Array): { draw: () => Uint8Array; pixels: Int32Array } {
    // Runs counted as runs, not as their three numbers.
    const rowStart = this.rowStart.map((r) => r / 3);
    return this.kernel.previewer(xs, ys, rowStart, this.before, base);
  }

  /** Where in `detail` the 0 for known pixels is (its last value). */
  get known(): number {
    return this.pixels;
  }

  /** Writes into out where in `detail` the pixels of canvas row y at the (ascending) columns xs are (`known` for known pixels). */
  locate(y: number, xs: Int32Array, out: Int32Array): void {
    const { spans, before, pixels: known } = this;
    let r = this.rowStart[y];
    const end = this.rowStart[y + 1];
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      while (r < end && spans[r + 2] <= x) r += 3;
      out[i] = r < end && spans[r + 1] <= x ? before[r / 3] + x - spans[r + 1] : known;
    }
  }

  /** Frees the kernel for the next refinement (kept memory is faster than fresh); nothing may be read after. */
  dispose(): void {
    this.done = true;
    this.kernel.release();
  }

  /** The background with the detail added: a new array. It ends the refinement (no more steps after). */
  result(): Uint8Array {
    this.done = true;
    return this.kernel.result(this.s.background);
  }
}

/** Lattice cell and smoothstep weight of each of n canvas positions along one axis (lattice spacing 1 / inv). */
function latticeAxis(n: number, inv: number, cell: Int32Array, weight: Float64Array): void {
  for (let p = 0; p < n; p++) {
    const l = p * inv;
    const i = Math.floor(l);
    const f = l - i;
    cell[p] = i;
    weight[p] = f * f * (3 - 2 * f);
  }
}
