import { boxBlur } from '../filters.js';

/**
 * Fills the hole behind the subject by interpolating along rows and columns between the nearest known
 * pixels on either side (each run weighted by how short it is, the more local guess), then softens it.
 * Keeps the colours of the hole's own surroundings row by row, where a pyramid fill averages them into one
 * blob. `hole` (w×h) is 1 where the photo is unusable, all of it inside `box` [x0, y0, x1, y1). The photo sits
 * on a canvas with `pad` unknown pixels on every side, which lengthen the runs that reach the photo's edge.
 * Returns planar RGB over the box; only its hole pixels are meaningful.
 */
export function scanlineFill(rgb: Uint8Array, hole: Uint8Array, w: number, h: number, pad: number, box: [number, number, number, number]): Float32Array[] {
  const [x0, y0, x1, y1] = box;
  const bw = x1 - x0;
  const bh = y1 - y0;
  const acc = [new Float32Array(bw * bh), new Float32Array(bw * bh), new Float32Array(bw * bh)];
  const wsum = new Float32Array(bw * bh);
  if (bw <= 0 || bh <= 0) return acc;
  const a = new Float64Array(3);
  const b = new Float64Array(3);
  // Mean of up to three known pixels going outwards from pixel (x, y) along (dx, dy): less noise than one.
  const mean = (out: Float64Array, x: number, y: number, dx: number, dy: number) => {
    let r = 0;
    let g = 0;
    let bl = 0;
    let n = 0;
    for (let k = 0; k < 3 && x >= 0 && x < w && y >= 0 && y < h; k++, x += dx, y += dy) {
      const i = y * w + x;
      if (hole[i]) continue;
      r += rgb[i * 3];
      g += rgb[i * 3 + 1];
      bl += rgb[i * 3 + 2];
      n++;
    }
    out[0] = r / n;
    out[1] = g / n;
    out[2] = bl / n;
  };
  // One run of unknown pixels [s, e) along a line of `count` pixels; `at(m)` is the box index of pixel m.
  const run = (s: number, e: number, count: number, lineX: (m: number) => number, lineY: (m: number) => number, dx: number, dy: number, at: (m: number) => number) => {
    const hasLeft = s > 0;
    const hasRight = e < count;
    if (!hasLeft && !hasRight) return;
    // Unknown canvas margin continues the run beyond the photo's edge.
    const len = e - s + 1 + (hasLeft ? 0 : pad) + (hasRight ? 0 : pad);
    const wgt = 1 / len;
    if (hasLeft) mean(a, lineX(s - 1), lineY(s - 1), -dx, -dy);
    else mean(a, lineX(e), lineY(e), dx, dy);
    if (hasRight) mean(b, lineX(e), lineY(e), dx, dy);
    else b.set(a);
    for (let m = s; m < e; m++) {
      const o = at(m);
      const t = (m - s + 1 + (hasLeft ? 0 : pad)) / len;
      acc[0][o] += (a[0] + (b[0] - a[0]) * t) * wgt;
      acc[1][o] += (a[1] + (b[1] - a[1]) * t) * wgt;
      acc[2][o] += (a[2] + (b[2] - a[2]) * t) * wgt;
      wsum[o] += wgt;
    }
  };
  for (let y = y0; y < y1; y++) {
    const row = y * w;
    const at = (m: number) => (y - y0) * bw + (m - x0);
    for (let x = x0; x < x1; ) {
      if (!hole[row + x]) {
        x++;
        continue;
      }
      const s = x;
      while (x < x1 && hole[row + x]) x++;
      run(s, x, w, (m) => m, () => y, 1, 0, at);
    }
  }
  for (let x = x0; x < x1; x++) {
    const at = (m: number) => (m - y0) * bw + (x - x0);
    for (let y = y0; y < y1; ) {
      if (!hole[y * w + x]) {
        y++;
        continue;
      }
      const s = y;
      while (y < y1 && hole[y * w + x]) y++;
      run(s, y, h, () => x, (m) => m, 0, 1, at);
    }
  }
  return acc.map((p, c) => {
    for (let i = 0; i < p.length; i++) {
      p[i] = wsum[i] > 0 ? p[i] / wsum[i] : rgb[((y0 + ((i / bw) | 0)) * w + x0 + (i % bw)) * 3 + c];
    }
    return boxBlur(p, bw, bh, 2);
  });
}
