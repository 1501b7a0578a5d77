import { boxBlur } from '../filters.js';

/**
 * Fills the hole behind the subject by interpolating along rows and columns between the nearest known
 * pixels on either side (each run weighted by how short it is, the more local guess), then softens it.
 * Keeps the colours of the hole's own surroundings row by row, where a pyramid fill averages them into one
 * blob. `known` is 1 for usable pixels; only pixels with hole > 0 change. Planes are modified in place.
 */
export function scanlineFill(planes: Float32Array[], known: Uint8Array, hole: Float32Array, w: number, h: number, box: [number, number, number, number]): void {
  const [x0, y0, x1, y1] = box;
  const bw = x1 - x0;
  const bh = y1 - y0;
  if (bw <= 0 || bh <= 0) return;
  const acc = [new Float32Array(bw * bh), new Float32Array(bw * bh), new Float32Array(bw * bh)];
  const wsum = new Float32Array(bw * bh);
  const avg = (c: number, i: number, step: number, lo: number, hi: number) => {
    // Mean of up to three known pixels going outwards from i: less noise than one boundary pixel.
    let s = 0;
    let n = 0;
    for (let k = 0, j = i; k < 3 && j >= lo && j <= hi; k++, j += step) if (known[j]) (s += planes[c][j]), n++;
    return n ? s / n : planes[c][i];
  };
  const run = (first: number, count: number, step: number, lo: number, hi: number, at: (k: number) => number) => {
    // Walk one line: find runs of unknown pixels and interpolate across each.
    let k = 0;
    while (k < count) {
      if (known[first + k * step]) {
        k++;
        continue;
      }
      const s = k;
      while (k < count && !known[first + k * step]) k++;
      const left = s > 0 ? first + (s - 1) * step : -1;
      const right = k < count ? first + k * step : -1;
      if (left < 0 && right < 0) continue;
      const len = k - s + 1;
      const wgt = 1 / len;
      for (let m = s; m < k; m++) {
        const i = first + m * step;
        const o = at(m);
        if (o < 0 || hole[i] <= 0) continue;
        const t = (m - s + 1) / len;
        for (let c = 0; c < 3; c++) {
          const a = left >= 0 ? avg(c, left, -step, lo, hi) : avg(c, right, step, lo, hi);
          const b = right >= 0 ? avg(c, right, step, lo, hi) : a;
          acc[c][o] += (a + (b - a) * t) * wgt;
        }
        wsum[o] += wgt;
      }
    }
  };
  for (let y = y0; y < y1; y++) {
    run(y * w, w, 1, y * w, y * w + w - 1, (m) => (m >= x0 && m < x1 ? (y - y0) * bw + (m - x0) : -1));
  }
  for (let x = x0; x < x1; x++) {
    run(x, h, w, x, x + (h - 1) * w, (m) => (m >= y0 && m < y1 ? (m - y0) * bw + (x - x0) : -1));
  }
  const soft = acc.map((p, c) => {
    for (let i = 0; i < p.length; i++) p[i] = wsum[i] > 0 ? p[i] / wsum[i] : planes[c][(y0 + ((i / bw) | 0)) * w + x0 + (i % bw)];
    return boxBlur(p, bw, bh, 2);
  });
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      if (hole[i] <= 0 || known[i]) continue;
      const o = (y - y0) * bw + (x - x0);
      for (let c = 0; c < 3; c++) planes[c][i] = soft[c][o];
    }
  }
}
