import { readFileSync } from 'node:fs';

let compiled: WebAssembly.Module | undefined;
/** refine.wasm (built from refine.wat), compiled once per thread. */
function refineModule(): WebAssembly.Module {
  return (compiled ??= new WebAssembly.Module(readFileSync(new URL('./wasm/refine.wasm', import.meta.url))));
}

/**
 * One instance kept from a finished refinement for the next: its memory is already paged in. Fresh pages are
 * slow to touch (about 0.6 ms per MB here, a fifth of the whole refinement at 720p), so the next denoise only
 * clears what it reads.
 */
let spare: Exports | undefined;

interface Exports {
  memory: WebAssembly.Memory;
  amps(
    spans: number,
    nspans: number,
    pw: number,
    unknown: number,
    detail: number,
    qx: number,
    qrow: number,
    utab: number,
    gain: number,
    amp: number,
  ): void;
  lattice(lat: number, lw: number, lh: number, salt: number): void;
  result(spans: number, nspans: number, pw: number, acc: number, out: number): void;
  runs(canvas: number, pw: number, ph: number, out: number): number;
  preview(targets: number, n: number, acc: number, base: number, out: number, bytes: number): void;
  taps(spans: number, rowStart: number, before: number, known: number, xs: number, nx: number, ys: number, ny: number, out: number): number;
  octave(
    spans: number,
    nspans: number,
    amp: number,
    lat: number,
    lw: number,
    ix: number,
    fx: number,
    iy: number,
    fy: number,
    acc: number,
  ): void;
}

/** What the refinement kernel reads: which pixels were synthesized, and the fields behind their weight. */
export interface RefineInputs {
  pw: number;
  ph: number;
  /** The padded canvas of `unknown` (> 0 where synthesized). */
  unknown: Uint8Array;
  detail: Float32Array;
  /** Field column of each canvas column, and first field cell of each canvas row. */
  qx: Int32Array;
  qrow: Int32Array;
  /** The largest lattice any step uses (values). */
  latticeSize: number;
  /** The octaves' gain (the same for every step). */
  gain: number;
}

/**
 * The refinement's loops in WebAssembly (refine.wat): finding the synthesized pixels, their weights, each
 * octave's lattice of hashed values and detail (about three times the speed of the same loop in JavaScript),
 * the refined background, and progress previews' backgrounds. The instance's memory holds the spans, each
 * synthesized pixel's weight and accumulated detail (in span order: about half a canvas of floats, as fresh
 * pages are slow to touch), the lattice, and the per-column and per-row tables the caller fills in place through
 * the views. The canvas of `unknown` is only needed up front, so the lattice reuses its space; the refined
 * background, made once the steps are done, reuses the weights' space.
 */
export class WasmRefine {
  private readonly x: Exports;
  private readonly at: Record<'spans' | 'detail' | 'qx' | 'qrow' | 'utab' | 'amp' | 'scratch' | 'ix' | 'fx' | 'iy' | 'fy' | 'acc', number>;
  private readonly nspans: number;
  private readonly pixels: number;
  /** Where the layout ends (bytes): room taken later goes after it. */
  private end: number;
  private viewsOf: ArrayBuffer | undefined;
  private views!: { spans: Int32Array; acc: Float32Array; ix: Int32Array; fx: Float64Array; iy: Int32Array; fy: Float64Array };

  constructor(private readonly inp: RefineInputs) {
    const { pw, ph } = inp;
    let end = 0;
    const take = (bytes: number) => {
      const start = end;
      end += Math.ceil(bytes / 8) * 8 + 8; // 8-byte aligned, f64 tables included
      return start;
    };
    this.x = spare ?? (new WebAssembly.Instance(refineModule(), {}).exports as unknown as Exports);
    spare = undefined;
    const fit = () => {
      const more = Math.ceil(end / 65536) - this.x.memory.buffer.byteLength / 65536;
      if (more > 0) this.x.memory.grow(more);
    };
    // First what does not depend on how many pixels were synthesized, then the runs of them are found (the
    // canvas of `unknown` is in the scratch space), then their weights and detail.
    const fixed = {
      detail: take(inp.detail.byteLength),
      qx: take(pw * 4),
      qrow: take(ph * 4),
      utab: take(256 * 8),
      scratch: take(Math.max(pw * ph, inp.latticeSize * 4)),
      ix: take(pw * 4),
      fx: take(pw * 8),
      iy: take(ph * 4),
      fy: take(ph * 8),
    };
    fit();
    new Uint8Array(this.x.memory.buffer, fixed.scratch, pw * ph).set(inp.unknown);
    this.nspans = this.x.runs(fixed.scratch, pw, ph, 0);
    const spansAt = take(this.nspans * 12);
    fit();
    this.x.runs(fixed.scratch, pw, ph, spansAt);
    const found = new Int32Array(this.x.memory.buffer, spansAt, this.nspans * 3);
    let pixels = 0;
    for (let r = 0; r < found.length; r += 3) pixels += found[r + 2] - found[r + 1];
    this.pixels = pixels;
    this.at = {
      ...fixed,
      spans: spansAt,
      // The weights, then (once the steps are done) the refined background.
      amp: take(Math.max(pixels * 8, pw * ph * 3)),
      acc: take((pixels + 1) * 4),
    };
    fit();
    const mem = this.x.memory.buffer;
    const a = this.at;
    new Float32Array(mem, a.detail, inp.detail.length).set(inp.detail);
    new Int32Array(mem, a.qx, pw).set(inp.qx);
    new Int32Array(mem, a.qrow, ph).set(inp.qrow);
    const utab = new Float64Array(mem, a.utab, 256);
    for (let u = 0; u < 256; u++) utab[u] = u / 255;
    this.x.amps(a.spans, this.nspans, pw, a.scratch, a.detail, a.qx, a.qrow, a.utab, inp.gain, a.amp);
    new Float32Array(mem, a.acc, pixels + 1).fill(0);
    this.end = end;
  }

  /** Views of the memory (made again when it has grown). */
  private view() {
    const mem = this.x.memory.buffer;
    if (this.viewsOf !== mem) {
      const { at: a, inp } = this;
      this.views = {
        spans: new Int32Array(mem, a.spans, this.nspans * 3),
        acc: new Float32Array(mem, a.acc, this.pixels + 1),
        ix: new Int32Array(mem, a.ix, inp.pw),
        fx: new Float64Array(mem, a.fx, inp.pw),
        iy: new Int32Array(mem, a.iy, inp.ph),
        fy: new Float64Array(mem, a.fy, inp.ph),
      };
      this.viewsOf = mem;
    }
    return this.views;
  }

  /** Runs of synthesized pixels (unknown > 0): [y, x0, x1) triples, row by row. */
  get spans(): Int32Array {
    return this.view().spans;
  }

  /** Detail added so far per synthesized pixel (span order), and one more value that stays 0. */
  get acc(): Float32Array {
    return this.view().acc;
  }

  /** Lattice column and smoothed weight per canvas column, and the same per row, for the next octave. */
  get ix(): Int32Array {
    return this.view().ix;
  }

  get fx(): Float64Array {
    return this.view().fx;
  }

  get iy(): Int32Array {
    return this.view().iy;
  }

  get fy(): Float64Array {
    return this.view().fy;
  }

  /**
   * Draws progress previews' backgrounds here. Each preview pixel (xs.length × ys.length, RGB `base`) takes the
   * mean detail of the 2×2 canvas pixels from (xs[x], ys[y]); rowStart (canvas rows + 1) and before (per run) say
   * where a canvas row's runs begin and how many synthesized pixels come before each run. Returns what draws one
   * (a view, valid until the next) and the preview pixels that take any detail.
   */
  previewer(
    xs: Int32Array,
    ys: Int32Array,
    rowStart: Int32Array,
    before: Int32Array,
    base: Uint8Array,
  ): { draw: () => Uint8Array; pixels: Int32Array } {
    const take = (bytes: number) => {
      const start = this.end;
      this.end += Math.ceil(bytes / 8) * 8 + 8;
      return start;
    };
    const at = {
      xs: take(xs.byteLength),
      ys: take(ys.byteLength),
      rowStart: take(rowStart.byteLength),
      before: take(before.byteLength),
      targets: take(5 * 4 * xs.length * ys.length),
      base: take(base.length),
      out: take(base.length),
    };
    const more = Math.ceil(this.end / 65536) - this.x.memory.buffer.byteLength / 65536;
    if (more > 0) this.x.memory.grow(more);
    const mem = this.x.memory.buffer;
    new Int32Array(mem, at.xs, xs.length).set(xs);
    new Int32Array(mem, at.ys, ys.length).set(ys);
    new Int32Array(mem, at.rowStart, rowStart.length).set(rowStart);
    new Int32Array(mem, at.before, before.length).set(before);
    new Uint8Array(mem, at.base, base.length).set(base);
    const n = this.x.taps(this.at.spans, at.rowStart, at.before, this.pixels, at.xs, xs.length, at.ys, ys.length, at.targets);
    const targets = new Int32Array(mem, at.targets, 5 * n);
    const pixels = new Int32Array(n);
    for (let i = 0; i < n; i++) pixels[i] = targets[5 * i];
    return {
      draw: () => {
        this.x.preview(at.targets, n, this.at.acc, at.base, at.out, base.length);
        return new Uint8Array(this.x.memory.buffer, at.out, base.length);
      },
      pixels,
    };
  }

  /**
   * The background (padded canvas RGB) with the detail added, as a new array. The weights' space is reused
   * for it, so no more octaves can be added after.
   */
  result(background: Uint8Array): Uint8Array {
    const a = this.at;
    const out = new Uint8Array(this.x.memory.buffer, a.amp, background.length);
    out.set(background);
    this.x.result(a.spans, this.nspans, this.inp.pw, a.acc, a.amp);
    return out.slice();
  }

  /** Hands the instance on to the next refinement; this one and its views must not be used after. */
  release(): void {
    spare ??= this.x;
  }

  /** Fills the lattice (lw × lh values of hashNoise with this salt) for the next octave. */
  lattice(lw: number, lh: number, salt: number): void {
    this.x.lattice(this.at.scratch, lw, lh, salt);
  }

  /** Adds one octave, from the lattice (row stride lw) and the tables as the caller left them. */
  octave(lw: number): void {
    const a = this.at;
    this.x.octave(a.spans, this.nspans, a.amp, a.scratch, lw, a.ix, a.fx, a.iy, a.fy, a.acc);
  }
}
