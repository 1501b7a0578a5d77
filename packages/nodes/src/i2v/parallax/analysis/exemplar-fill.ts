import { createRng } from '../rng.js';

/**
 * Exemplar-based inpainting of the hole behind the subject (builtin/parallax-v2): texture copied patch by patch
 * from the photo around the hole, PatchMatch-style (Barnes et al. 2009; Wexler et al. 2007's coarse-to-fine
 * expectation-maximisation), so what a camera move reveals behind a person is grass, wall or sky like its
 * surroundings, not a pale smooth subject-shaped blob. Computed once in the encode: the background layer is
 * a still image, so the fill is the same in every frame.
 *
 * Only a band along the hole's edge is synthesized (`band` pixels deep): a camera move only ever reveals
 * that much behind the subject; deeper in, the smooth fill stays (and is never seen).
 * The nearest-neighbour field is found at 1/4 resolution (5x5-cell patches, propagation and random search,
 * then voting, a few rounds), then each full-resolution pixel averages the photo pixels its own and its
 * neighbouring cells' offsets point to: real photo pixels, copied sharp, with the seams between patches
 * blended.
 */
export interface ExemplarFill {
  /** Planar RGB over `box` (like scanlineFill); meaningful where `weight` > 0. */
  planes: Float32Array[];
  /** Over `box`: 1 in the synthesized band, falling to 0 towards the hole's inside (the smooth fill there). */
  weight: Float32Array;
}

/** Patch radius at the working level (5x5 cells: 20x20 photo pixels). */
const PR = 2;
/** Photo pixels per working cell side. */
const SCALE = 4;
const ITERATIONS = 3;

/**
 * `hole` (w×h, 1 = unusable) lies inside `box` [x0, y0, x1, y1). `band`: how deep into the hole, in pixels.
 * Deterministic for a seed.
 */
export function exemplarFill(
  rgb: Uint8Array,
  hole: Uint8Array,
  w: number,
  h: number,
  box: [number, number, number, number],
  band: number,
  seed = 1,
): ExemplarFill {
  const [bx0, by0, bx1, by1] = box;
  const bw = Math.max(0, bx1 - bx0);
  const bh = Math.max(0, by1 - by0);
  const planes = [new Float32Array(bw * bh), new Float32Array(bw * bh), new Float32Array(bw * bh)];
  const weight = new Float32Array(bw * bh);
  if (!bw || !bh) return { planes, weight };
  // Work region: the hole's box grown by the search reach, so sources around the hole are in it.
  const reach = Math.round(band * 1.5 + 24);
  const cx0 = Math.max(0, bx0 - reach) & ~3;
  const cy0 = Math.max(0, by0 - reach) & ~3;
  const cx1 = Math.min(w, bx1 + reach);
  const cy1 = Math.min(h, by1 + reach);
  const fw = cx1 - cx0;
  const fh = cy1 - cy0;
  // The working level straight from the photo (SCALE×SCALE blocks); distances into the hole there (in photo pixels).
  const lv = blockLevel(rgb, hole, w, cx0, cy0, fw, fh, SCALE);
  const dist = holeDistance(lv.level.state, lv.w, lv.h);
  for (let i = 0; i < dist.length; i++) dist[i] *= SCALE;
  // Targets: hole cells within the band (a little beyond, for the blend into the smooth fill).
  const deep = band * 1.25;
  for (let i = 0; i < dist.length; i++) if (lv.level.state[i] === TARGET && dist[i] > deep + SCALE) lv.level.state[i] = DEEP;
  const rng = createRng(seed, 'exemplar-fill');
  // An onion-peel guess, then EM iterations: nearest-neighbour field, then voting.
  const l = lv.level;
  onionPeel(l, lv.w, lv.h);
  const nnf = initialField(l, lv.w, lv.h, rng);
  for (let it = 0; it < ITERATIONS; it++) {
    patchMatch(l, lv.w, lv.h, nnf, rng, Math.max(8, reach / SCALE), it);
    vote(l, lv.w, lv.h, nnf);
  }
  // Full resolution: each pixel copies the photo through its 3x3 neighbours' offsets.
  finalVote(rgb, hole, w, l, lv.w, lv.h, nnf, dist, band, box, cx0, cy0, SCALE, planes, weight);
  return { planes, weight };
}

const KNOWN = 0;
const TARGET = 1;
/** Hole pixels deeper than the band: no source and no target (the smooth fill covers them). */
const DEEP = 2;

interface Level {
  /** Interleaved RGB, 0..255. */
  img: Float32Array;
  state: Uint8Array;
}

/** The crop at 1/f size from the photo: known pixels averaged; a cell is a target if any of its pixels is in the hole. */
function blockLevel(
  rgb: Uint8Array,
  hole: Uint8Array,
  w: number,
  x0: number,
  y0: number,
  fw: number,
  fh: number,
  f: number,
): { level: Level; w: number; h: number } {
  const lw = Math.max(1, Math.ceil(fw / f));
  const lh = Math.max(1, Math.ceil(fh / f));
  const img = new Float32Array(lw * lh * 3);
  const state = new Uint8Array(lw * lh);
  for (let y = 0; y < lh; y++) blockRow(rgb, hole, w, x0, y0, fw, fh, lw, y, f, img, state);
  return { level: { img, state }, w: lw, h: lh };
}

function blockRow(
  rgb: Uint8Array,
  hole: Uint8Array,
  w: number,
  x0: number,
  y0: number,
  fw: number,
  fh: number,
  lw: number,
  y: number,
  f: number,
  img: Float32Array,
  state: Uint8Array,
): void {
  for (let x = 0; x < lw; x++) {
    let n = 0;
    let r = 0;
    let g = 0;
    let b = 0;
    let holes = 0;
    for (let sy = y0 + f * y; sy < y0 + Math.min(fh, f * y + f); sy++) {
      for (let sx = x0 + f * x; sx < x0 + Math.min(fw, f * x + f); sx++) {
        const s = sy * w + sx;
        if (hole[s]) {
          holes++;
          continue;
        }
        n++;
        r += rgb[s * 3];
        g += rgb[s * 3 + 1];
        b += rgb[s * 3 + 2];
      }
    }
    const o = y * lw + x;
    state[o] = holes ? TARGET : KNOWN;
    if (n) {
      img[o * 3] = r / n;
      img[o * 3 + 1] = g / n;
      img[o * 3 + 2] = b / n;
    }
  }
}

/** Chamfer distance (3-4 weights, in pixels) from every hole pixel to the nearest known one; 0 for known pixels. */
function holeDistance(state: Uint8Array, w: number, h: number): Float32Array {
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = state[i] === KNOWN ? 0 : 1e9;
  for (let y = 0; y < h; y++) chamferRow(d, w, y, y > 0, 1);
  for (let y = h - 1; y >= 0; y--) chamferRow(d, w, y, y < h - 1, -1);
  for (let i = 0; i < d.length; i++) d[i] /= 3;
  return d;
}

/** One row of a chamfer pass: forward (dir 1) from the left and the row above, backward from the right and below. */
function chamferRow(d: Float32Array, w: number, y: number, hasRow: boolean, dir: 1 | -1): void {
  const other = (y - dir) * w;
  for (let k = 0; k < w; k++) {
    const x = dir === 1 ? k : w - 1 - k;
    const i = y * w + x;
    let v = d[i];
    if (!v) continue;
    const px = x - dir;
    if (px >= 0 && px < w && d[i - dir] + 3 < v) v = d[i - dir] + 3;
    if (hasRow) {
      const j = other + x;
      if (d[j] + 3 < v) v = d[j] + 3;
      if (x > 0 && d[j - 1] + 4 < v) v = d[j - 1] + 4;
      if (x < w - 1 && d[j + 1] + 4 < v) v = d[j + 1] + 4;
    }
    d[i] = v;
  }
}

/** A first guess of the targets: peeled from the edge inwards, each the mean of its already-filled neighbours. */
function onionPeel(l: Level, w: number, h: number): void {
  const filled = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) filled[i] = l.state[i] === KNOWN ? 1 : 0;
  let front: number[] = [];
  for (let i = 0; i < w * h; i++) if (l.state[i] === TARGET) front.push(i);
  for (let pass = 0; front.length && pass < w + h; pass++) {
    const done: number[] = [];
    const rest: number[] = [];
    for (const i of front) {
      const x = i % w;
      const y = (i / w) | 0;
      let n = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const j = ny * w + nx;
          if (filled[j] !== 1) continue;
          n++;
          r += l.img[j * 3];
          g += l.img[j * 3 + 1];
          b += l.img[j * 3 + 2];
        }
      }
      if (!n) {
        rest.push(i);
        continue;
      }
      l.img[i * 3] = r / n;
      l.img[i * 3 + 1] = g / n;
      l.img[i * 3 + 2] = b / n;
      done.push(i);
    }
    for (const i of done) filled[i] = 1;
    if (!done.length) break;
    front = rest;
  }
}

/** Where a whole patch lies on known pixels: a valid source centre. */
function validSources(l: Level, w: number, h: number): Uint8Array {
  const ok = new Uint8Array(w * h);
  // Count of non-known pixels in each patch window by a summed-area table.
  const sat = new Int32Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += l.state[y * w + x] === KNOWN ? 0 : 1;
      sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
    }
  }
  for (let y = PR; y < h - PR; y++) {
    for (let x = PR; x < w - PR; x++) {
      const a = sat[(y - PR) * (w + 1) + x - PR];
      const b = sat[(y - PR) * (w + 1) + x + PR + 1];
      const c = sat[(y + PR + 1) * (w + 1) + x - PR];
      const d = sat[(y + PR + 1) * (w + 1) + x + PR + 1];
      ok[y * w + x] = d - b - c + a === 0 ? 1 : 0;
    }
  }
  return ok;
}

interface Field {
  /** Source index per pixel (-1: none; only targets have one). */
  src: Int32Array;
  cost: Float32Array;
  valid: Uint8Array;
  sources: Int32Array;
}

/** Random valid sources near each target (drawn from the valid source list, nearest of a few draws). */
function initialField(l: Level, w: number, h: number, rng: () => number): Field {
  const valid = validSources(l, w, h);
  const list: number[] = [];
  for (let i = 0; i < w * h; i++) if (valid[i]) list.push(i);
  const sources = Int32Array.from(list);
  const src = new Int32Array(w * h).fill(-1);
  const cost = new Float32Array(w * h).fill(Infinity);
  if (!sources.length) return { src, cost, valid, sources };
  for (let i = 0; i < w * h; i++) {
    if (l.state[i] !== TARGET) continue;
    const x = i % w;
    const y = (i / w) | 0;
    let best = -1;
    let bestD = Infinity;
    for (let k = 0; k < 6; k++) {
      const s = sources[(rng() * sources.length) | 0];
      const dx = (s % w) - x;
      const dy = ((s / w) | 0) - y;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD) {
        bestD = d2;
        best = s;
      }
    }
    src[i] = best;
    cost[i] = patchCost(l, w, h, i, best, Infinity);
  }
  return { src, cost, valid, sources };
}

/**
 * Sum of squared colour differences between the patch at target t and at source s (known target pixels count
 * fully, current guesses half, deep hole pixels not at all); stops once past `limit`.
 */
function patchCost(l: Level, w: number, h: number, t: number, s: number, limit: number): number {
  const tx = t % w;
  const ty = (t / w) | 0;
  const sx = s % w;
  const sy = (s / w) | 0;
  const img = l.img;
  const state = l.state;
  let sum = 0;
  let wsum = 0;
  for (let dy = -PR; dy <= PR; dy++) {
    const y = ty + dy;
    if (y < 0 || y >= h) continue;
    const srow = (sy + dy) * w + sx;
    for (let dx = -PR; dx <= PR; dx++) {
      const x = tx + dx;
      if (x < 0 || x >= w) continue;
      const i = y * w + x;
      const st = state[i];
      if (st === DEEP) continue;
      const k = st === KNOWN ? 1 : 0.5;
      const j = srow + dx;
      const r = img[i * 3] - img[j * 3];
      const g = img[i * 3 + 1] - img[j * 3 + 1];
      const b = img[i * 3 + 2] - img[j * 3 + 2];
      sum += k * (r * r + g * g + b * b);
      wsum += k;
    }
    if (sum > limit * 25) break;
  }
  return wsum > 0 ? sum / wsum : Infinity;
}

/** One PatchMatch pass: propagation from the previous neighbours (order alternating), then random search. */
function patchMatch(l: Level, w: number, h: number, f: Field, rng: () => number, radius: number, pass: number): void {
  const { src, cost } = f;
  const forward = pass % 2 === 0;
  const step = forward ? 1 : -1;
  const state = l.state;
  for (let n = 0; n < w * h; n++) {
    const i = forward ? n : w * h - 1 - n;
    if (state[i] !== TARGET) continue;
    // Costs change as the guesses do: re-score the current match.
    cost[i] = src[i] >= 0 ? patchCost(l, w, h, i, src[i], Infinity) : Infinity;
    const x = i % w;
    const y = (i / w) | 0;
    // Propagation: the neighbour's source shifted by one.
    const nx = x - step;
    if (nx >= 0 && nx < w) {
      const j = i - step;
      const sj = src[j];
      if (sj >= 0 && (sj % w) + step >= 0 && (sj % w) + step < w) consider(l, w, h, f, i, sj + step);
    }
    const ny = y - step;
    if (ny >= 0 && ny < h) {
      const sj = src[i - step * w];
      if (sj >= 0) consider(l, w, h, f, i, sj + step * w);
    }
    // Random search around the current match, the window halving each time.
    for (let r = radius; r >= 1; r /= 2) {
      const s = src[i];
      if (s < 0) break;
      const sx = Math.round((s % w) + (rng() * 2 - 1) * r);
      const sy = Math.round(((s / w) | 0) + (rng() * 2 - 1) * r);
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      consider(l, w, h, f, i, sy * w + sx);
    }
  }
}

/** Takes source s for target i if it is valid and matches better. */
function consider(l: Level, w: number, h: number, f: Field, i: number, s: number): void {
  if (s < 0 || s >= w * h || !f.valid[s] || s === f.src[i]) return;
  const c = patchCost(l, w, h, i, s, f.cost[i]);
  if (c < f.cost[i]) {
    f.cost[i] = c;
    f.src[i] = s;
  }
}

/** Each target's colour: the mean of what the patches over it copy there. */
function vote(l: Level, w: number, h: number, f: Field): void {
  const acc = new Float32Array(w * h * 4);
  for (let t = 0; t < w * h; t++) {
    const s = f.src[t];
    if (l.state[t] !== TARGET || s < 0) continue;
    const tx = t % w;
    const ty = (t / w) | 0;
    const off = s - t;
    for (let dy = -PR; dy <= PR; dy++) {
      const y = ty + dy;
      if (y < 0 || y >= h) continue;
      for (let dx = -PR; dx <= PR; dx++) {
        const x = tx + dx;
        if (x < 0 || x >= w) continue;
        const i = y * w + x;
        if (l.state[i] !== TARGET) continue;
        const j = i + off;
        acc[i * 4] += l.img[j * 3];
        acc[i * 4 + 1] += l.img[j * 3 + 1];
        acc[i * 4 + 2] += l.img[j * 3 + 2];
        acc[i * 4 + 3] += 1;
      }
    }
  }
  for (let i = 0; i < w * h; i++) {
    const n = acc[i * 4 + 3];
    if (!n) continue;
    l.img[i * 3] = acc[i * 4] / n;
    l.img[i * 3 + 1] = acc[i * 4 + 1] / n;
    l.img[i * 3 + 2] = acc[i * 4 + 2] / n;
  }
}

/**
 * Full resolution: each band pixel averages the photo pixels its cell's and the 4 neighbouring cells' offsets
 * point to, where those are known; the weight eases from 1 in the band to 0 at its inner edge.
 */
function finalVote(
  rgb: Uint8Array,
  hole: Uint8Array,
  w: number,
  lv: Level,
  hw: number,
  hh: number,
  nnf: Field,
  dist: Float32Array,
  band: number,
  box: [number, number, number, number],
  cx0: number,
  cy0: number,
  f: number,
  planes: Float32Array[],
  weight: Float32Array,
): void {
  const [bx0, by0, bx1, by1] = box;
  const bw = bx1 - bx0;
  const h = hole.length / w;
  // Offsets per working cell, in photo pixels.
  const offX = new Int32Array(hw * hh);
  const offY = new Int32Array(hw * hh);
  for (let c = 0; c < hw * hh; c++) {
    const s = nnf.src[c];
    if (s < 0) continue;
    offX[c] = f * ((s % hw) - (c % hw));
    offY[c] = f * (((s / hw) | 0) - ((c / hw) | 0));
  }
  const acc = new Float64Array(4);
  for (let y = by0; y < by1; y++) {
    const cy = Math.min(hh - 1, ((y - cy0) / f) | 0);
    for (let x = bx0; x < bx1; x++) {
      if (!hole[y * w + x]) continue;
      const cx = Math.min(hw - 1, ((x - cx0) / f) | 0);
      const c = cy * hw + cx;
      const d = dist[c];
      if (d > band * 1.25) continue;
      acc.fill(0);
      // The offsets of this pixel's cell and its 4 neighbours, each applied at this pixel.
      for (let k = 0; k < 5; k++) {
        const ny = cy + NEIGHBOURS[2 * k + 1];
        const nx = cx + NEIGHBOURS[2 * k];
        if (ny < 0 || ny >= hh || nx < 0 || nx >= hw) continue;
        const q = ny * hw + nx;
        if (nnf.src[q] < 0) continue;
        sampleInto(rgb, hole, w, h, x + offX[q], y + offY[q], acc);
      }
      const o = (y - by0) * bw + (x - bx0);
      if (acc[3]) {
        planes[0][o] = acc[0] / acc[3];
        planes[1][o] = acc[1] / acc[3];
        planes[2][o] = acc[2] / acc[3];
      } else {
        // No photo pixel to copy: the working level's colour.
        planes[0][o] = lv.img[c * 3];
        planes[1][o] = lv.img[c * 3 + 1];
        planes[2][o] = lv.img[c * 3 + 2];
      }
      const t = Math.min(1, Math.max(0, (band * 1.25 - d) / (band * 0.25)));
      weight[o] = t * t * (3 - 2 * t);
    }
  }
}

/** A cell and its 4 neighbours, as (dx, dy) pairs. */
const NEIGHBOURS = [0, 0, -1, 0, 1, 0, 0, -1, 0, 1];

/** Adds photo pixel (x, y) to acc (r, g, b, count) when it is inside the photo and not in the hole. */
function sampleInto(rgb: Uint8Array, hole: Uint8Array, w: number, h: number, x: number, y: number, acc: Float64Array): void {
  if (x < 0 || y < 0 || x >= w || y >= h) return;
  const s = y * w + x;
  if (hole[s]) return;
  acc[0] += rgb[s * 3];
  acc[1] += rgb[s * 3 + 1];
  acc[2] += rgb[s * 3 + 2];
  acc[3]++;
}
