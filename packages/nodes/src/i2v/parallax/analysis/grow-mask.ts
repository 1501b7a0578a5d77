/** A binary mask and the box [x0, y0, x1, y1) around its set pixels (x1 <= x0 when it is empty). */
export interface MaskWithBox {
  mask: Uint8Array;
  box: [number, number, number, number];
}

/**
 * The pixels of a w×h plane above `threshold`, looked for only inside `window` [x0, y0, x1, y1) (the plane
 * is 0 outside it), with their bounding box.
 */
export function thresholdMask(
  values: Float32Array,
  w: number,
  h: number,
  threshold: number,
  window: [number, number, number, number],
): MaskWithBox {
  const mask = new Uint8Array(w * h);
  let x0 = w;
  let y0 = h;
  let x1 = 0;
  let y1 = 0;
  const span = new Int32Array(2);
  for (let y = window[1]; y < window[3]; y++) {
    if (!thresholdRow(values, mask, y * w, window[0], window[2], threshold, span)) continue;
    const [first, last] = span;
    if (first < x0) x0 = first;
    if (last + 1 > x1) x1 = last + 1;
    if (y < y0) y0 = y;
    y1 = y + 1;
  }
  return { mask, box: [x0, y0, x1, y1] };
}

/** Marks row pixels [from, to) above the threshold; false when none is, else their first and last x in `span`. */
function thresholdRow(
  values: Float32Array,
  mask: Uint8Array,
  row: number,
  from: number,
  to: number,
  threshold: number,
  span: Int32Array,
): boolean {
  let first = -1;
  let last = -1;
  for (let x = from; x < to; x++) {
    if (values[row + x] > threshold) {
      mask[row + x] = 1;
      if (first < 0) first = x;
      last = x;
    }
  }
  span[0] = first;
  span[1] = last;
  return first >= 0;
}

/**
 * Grows a mask: set where `boxBlur(mask, w, h, r) > 0` (filters.ts, float32 running sums, clamped edges),
 * bit for bit, computed only over the rows and columns the mask's box reaches. The running column sums can
 * keep a float residue below the mask, which marks a few extra pixels there; kept as is so the background
 * stays exactly what it was.
 */
export function growMask(src: MaskWithBox, w: number, h: number, r: number): MaskWithBox {
  const [bx0, by0, bx1, by1] = src.box;
  const out = new Uint8Array(w * h);
  if (bx1 <= bx0 || by1 <= by0) return { mask: out, box: [w, h, 0, 0] };
  const mask = src.mask;
  const inv = 1 / (2 * r + 1);
  // Columns beyond r of the box stay exactly 0 in both passes.
  const cx0 = Math.max(0, bx0 - r);
  const cx1 = Math.min(w, bx1 + r);
  const cw = cx1 - cx0;
  // Horizontal pass (as boxH: integer counts, exact) over the mask's rows; other rows are 0.
  const tmp = new Float32Array(cw * (by1 - by0));
  for (let y = by0; y < by1; y++) countRow(mask, y * w, w, r, inv, tmp, (y - by0) * cw - cx0, cx0, cx1);
  // Vertical pass (as boxV: float32 running sums per column), from the last row whose window is still empty.
  const zeros = new Float32Array(cw);
  const rowAt = (y: number) => (y >= by0 && y < by1 ? tmp.subarray((y - by0) * cw, (y - by0 + 1) * cw) : zeros);
  const acc = new Float32Array(cw);
  const start = Math.max(0, by0 - r - 1);
  if (start === 0) {
    const first = rowAt(0);
    for (let i = 0; i < cw; i++) acc[i] = first[i] * (r + 1);
    for (let k = 1; k <= r; k++) {
      const row = rowAt(Math.min(k, h - 1));
      for (let i = 0; i < cw; i++) acc[i] += row[i];
    }
  }
  let y0 = h;
  let y1 = 0;
  let x0 = w;
  let x1 = 0;
  const span = new Int32Array(2);
  for (let y = start; y < h; y++) {
    if (!columnStep(acc, inv, out, y * w + cx0, rowAt(Math.min(y + r + 1, h - 1)), rowAt(Math.max(y - r, 0)), span)) continue;
    if (y < y0) y0 = y;
    y1 = y + 1;
    if (span[0] + cx0 < x0) x0 = span[0] + cx0;
    if (span[1] + cx0 + 1 > x1) x1 = span[1] + cx0 + 1;
  }
  return { mask: out, box: [x0, y0, x1, y1] };
}

/** Horizontal running count of one mask row (from `row`), written for columns [cx0, cx1) at d + x. */
function countRow(
  mask: Uint8Array,
  row: number,
  w: number,
  r: number,
  inv: number,
  tmp: Float32Array,
  d: number,
  cx0: number,
  cx1: number,
): void {
  let acc = mask[row] * (r + 1);
  for (let i = 1; i <= r; i++) acc += mask[row + Math.min(i, w - 1)];
  for (let x = 0; x < cx1; x++) {
    if (x >= cx0) tmp[d + x] = acc * inv;
    acc += mask[row + Math.min(x + r + 1, w - 1)] - mask[row + Math.max(x - r, 0)];
  }
}

/** One output row of the vertical pass: marks out[o + i] where the sum is > 0 (first and last i in span). */
function columnStep(
  acc: Float32Array,
  inv: number,
  out: Uint8Array,
  o: number,
  add: Float32Array,
  sub: Float32Array,
  span: Int32Array,
): boolean {
  let first = -1;
  let last = -1;
  for (let i = 0; i < acc.length; i++) {
    if (acc[i] * inv > 0) {
      out[o + i] = 1;
      if (first < 0) first = i;
      last = i;
    }
    acc[i] += add[i] - sub[i];
  }
  span[0] = first;
  span[1] = last;
  return first >= 0;
}

/**
 * A mask grown by r pixels (square window), exactly: integer counts in both passes (growMask keeps v1's float
 * residue, which marks stray columns below a mask; fine for a fill's sources, not for what gets replaced).
 */
export function dilateExact(src: MaskWithBox, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(w * h);
  const [bx0, by0, bx1, by1] = src.box;
  if (bx1 <= bx0 || by1 <= by0) return out;
  const x0 = Math.max(0, bx0 - r);
  const x1 = Math.min(w, bx1 + r);
  const y0 = Math.max(0, by0 - r);
  const y1 = Math.min(h, by1 + r);
  const rows = new Uint8Array(w * h);
  for (let y = by0; y < by1; y++) {
    for (let x = x0; x < x1; x++) {
      let any = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r) && !any; k++) any = src.mask[y * w + k];
      rows[y * w + x] = any;
    }
  }
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let any = 0;
      for (let k = Math.max(by0, y - r); k <= Math.min(by1 - 1, y + r) && !any; k++) any = rows[k * w + x];
      out[y * w + x] = any;
    }
  }
  return out;
}
