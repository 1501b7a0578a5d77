import { pushPull } from './push-pull.js';

/** Push-pull fill of the padded canvas at 1/f resolution (planar RGB, cw×ch). */
export interface CoarseFill {
  planes: Float32Array[];
  cw: number;
  ch: number;
  f: number;
}

/**
 * Push-pull at 1/f resolution: the fill is smooth by nature, so the full-resolution pyramid's first levels
 * (most of its cost) add nothing. Sources are the photo's pixels outside `hole`, placed at `pad` on a
 * (w+2·pad)×(h+2·pad) canvas; everything else is unknown. Sums straight from the photo: the canvas is never built.
 */
export function coarseFill(rgb: Uint8Array, hole: Uint8Array, w: number, h: number, pad: number, f: number): CoarseFill {
  const pw = w + 2 * pad;
  const ph = h + 2 * pad;
  const cw = Math.ceil(pw / f);
  const ch = Math.ceil(ph / f);
  const [r, g, b] = [new Int32Array(cw * ch), new Int32Array(cw * ch), new Int32Array(cw * ch)];
  const known = new Int32Array(cw * ch);
  for (let y = 0; y < h; y++) sumRow(rgb, hole, y * w, w, pad, f, (((y + pad) / f) | 0) * cw, known, r, g, b);
  // Mean known colour per cell, and the known share of the cell's canvas pixels as its weight.
  const cp = [new Float32Array(cw * ch), new Float32Array(cw * ch), new Float32Array(cw * ch)];
  const cwt = new Float32Array(cw * ch);
  for (let cy = 0; cy < ch; cy++) meanRow(known, r, g, b, cp[0], cp[1], cp[2], cwt, cy * cw, cw, pw, Math.min(f, ph - cy * f), f);
  return { planes: pushPull(cp, cwt, cw, ch), cw, ch, f };
}

/**
 * Adds the known pixels of one photo row (from index s0) to their cells (row of cells from `cells`); the
 * photo starts `pad` pixels into the canvas. Integer sums, kept in registers over each cell's pixels.
 */
function sumRow(
  rgb: Uint8Array,
  hole: Uint8Array,
  s0: number,
  w: number,
  pad: number,
  f: number,
  cells: number,
  known: Int32Array,
  r: Int32Array,
  g: Int32Array,
  b: Int32Array,
): void {
  for (let x = 0; x < w;) {
    const cx = ((x + pad) / f) | 0;
    const end = Math.min(w, (cx + 1) * f - pad);
    let n = 0;
    let sr = 0;
    let sg = 0;
    let sb = 0;
    for (let s = s0 + x; s < s0 + end; s++) {
      if (hole[s]) continue;
      n++;
      sr += rgb[s * 3];
      sg += rgb[s * 3 + 1];
      sb += rgb[s * 3 + 2];
    }
    const o = cells + cx;
    known[o] += n;
    r[o] += sr;
    g[o] += sg;
    b[o] += sb;
    x = end;
  }
}

/** One row of cells (from index o0): mean known colour, and known pixels over the cell's canvas pixels. */
function meanRow(
  known: Int32Array,
  r: Int32Array,
  g: Int32Array,
  b: Int32Array,
  cr: Float32Array,
  cg: Float32Array,
  cb: Float32Array,
  cwt: Float32Array,
  o0: number,
  cw: number,
  pw: number,
  rows: number,
  f: number,
): void {
  for (let cx = 0, o = o0; cx < cw; cx++, o++) {
    const k = known[o] > 0 ? 1 / known[o] : 0;
    cr[o] = r[o] * k;
    cg[o] = g[o] * k;
    cb[o] = b[o] * k;
    cwt[o] = known[o] / (rows * Math.min(f, pw - cx * f));
  }
}

/**
 * Bilinear upsampling of a coarse fill to canvas pixels (pixel centres aligned), one canvas row at a time:
 * each coarse row is interpolated across once and kept while the canvas rows between it and the next use it.
 */
export class FillRows {
  private readonly x0: Int32Array;
  private readonly x1: Int32Array;
  private readonly fx: Float64Array;
  private rowA = -1;
  private rowB = -1;
  private fullA = false;
  private fullB = false;
  private a: Float64Array[];
  private b: Float64Array[];
  /** Interpolation weight between the two coarse rows of the last `select`ed canvas row. */
  fy = 0;

  constructor(
    private readonly fill: CoarseFill,
    readonly width: number,
    /** Columns [from, to) that rows selected as not full may leave stale. */
    private readonly inner: [number, number] = [width, width],
  ) {
    const { cw, f } = fill;
    this.x0 = new Int32Array(width);
    this.x1 = new Int32Array(width);
    this.fx = new Float64Array(width);
    for (let x = 0; x < width; x++) {
      let sx = (x + 0.5) * (1 / f) - 0.5;
      if (sx < 0) sx = 0;
      else if (sx > cw - 1) sx = cw - 1;
      const x0 = sx | 0;
      this.x0[x] = x0;
      this.x1[x] = x0 + 1 < cw ? x0 + 1 : x0;
      this.fx[x] = sx - x0;
    }
    this.a = [0, 1, 2].map(() => new Float64Array(width));
    this.b = [0, 1, 2].map(() => new Float64Array(width));
  }

  /**
   * Prepares canvas row y; then `rows()` holds it. With `full` false only the columns outside `inner`
   * are needed (a photo row away from the subject: only its margins are blended).
   */
  select(y: number, full = true): void {
    const { ch, f } = this.fill;
    let sy = (y + 0.5) * (1 / f) - 0.5;
    if (sy < 0) sy = 0;
    else if (sy > ch - 1) sy = ch - 1;
    const y0 = sy | 0;
    const y1 = y0 + 1 < ch ? y0 + 1 : y0;
    this.fy = sy - y0;
    if (!(y0 === this.rowA && (this.fullA || !full))) {
      if (y0 === this.rowB && (this.fullB || !full)) {
        [this.a, this.b] = [this.b, this.a];
        [this.rowA, this.rowB] = [this.rowB, this.rowA];
        [this.fullA, this.fullB] = [this.fullB, this.fullA];
      } else {
        this.interpolateRow(y0, this.a, full);
        this.rowA = y0;
        this.fullA = full;
      }
    }
    if (!(y1 === this.rowB && (this.fullB || !full))) {
      this.interpolateRow(y1, this.b, full);
      this.rowB = y1;
      this.fullB = full;
    }
  }

  /** The three channels' rows of the selected canvas row: value = a + (b - a)·fy. */
  rows(): { a: Float64Array[]; b: Float64Array[]; fy: number } {
    return { a: this.a, b: this.b, fy: this.fy };
  }

  private interpolateRow(row: number, into: Float64Array[], full: boolean): void {
    const base = row * this.fill.cw;
    const [from, to] = full ? [this.width, this.width] : this.inner;
    for (let c = 0; c < 3; c++) {
      lerpRow(this.fill.planes[c], base, this.x0, this.x1, this.fx, into[c], 0, from);
      lerpRow(this.fill.planes[c], base, this.x0, this.x1, this.fx, into[c], to, this.width);
    }
  }
}

/** out[x] for x in [from, to) = the row at `base` of p, sampled between columns x0[x] and x1[x] with weight fx[x]. */
function lerpRow(
  p: Float32Array,
  base: number,
  x0: Int32Array,
  x1: Int32Array,
  fx: Float64Array,
  out: Float64Array,
  from: number,
  to: number,
): void {
  for (let x = from; x < to; x++) {
    const v0 = p[base + x0[x]];
    out[x] = v0 + (p[base + x1[x]] - v0) * fx[x];
  }
}
