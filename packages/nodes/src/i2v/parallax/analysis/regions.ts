import { gaussBlur, normalizeRobust, smoothstep } from '../filters.js';
import type { Cues } from './cues.js';
import { distance3 } from './distance.js';

/** Soft masks (0..1, quarter resolution) of the regions that can carry ambient motion. */
export interface Regions {
  sky: Float32Array;
  water: Float32Array;
  vegetation: Float32Array;
  haze: Float32Array;
  highlight: Float32Array;
  /** Where the sky ends, as a fraction of the height (0 when there is no sky). */
  horizon: number;
  /** Texture energy normalized to 0..1 (reused for depth and detail). */
  texture: Float32Array;
}

export interface RegionOptions {
  /**
   * v2: how far (share of the height) a column's sky may reach below the median skyline when the column walk
   * found nothing but sky down to the bottom edge. A calm lake mirrors the sky, and a walk that finds no
   * shoreline carried the sky down through the reflection: those cells got the sky's depth (infinitely far),
   * and a push in tore them open (dark arches in the water).
   */
  maxDip?: number;
}

export function findRegions(c: Cues, o: RegionOptions = {}): Regions {
  const { qw, qh } = c;
  const n = qw * qh;
  const texture = normalizeRobust(c.fine, 0.01);
  const sat = new Float32Array(n);
  const skyScore = new Float32Array(n);
  for (let y = 0; y < qh; y++) skyScoreRow(c, texture, sat, skyScore, y);
  const skySmooth = gaussBlur(skyScore, qw, qh, 1);
  // Sky hangs from the top edge: walk each column down while it still looks like sky.
  const sky = new Float32Array(n);
  const runs = new Float32Array(qw);
  for (let x = 0; x < qw; x++) {
    let y = 0;
    while (y < qh && skySmooth[y * qw + x] > 0.3) y++;
    runs[x] = y;
  }
  const sorted = Float32Array.from(runs).sort();
  const medianRun = sorted[qw >> 1] / qh;
  if (o.maxDip !== undefined && medianRun > 0.06) {
    const deepest = (medianRun + o.maxDip) * qh;
    // Only columns that walked all the way down (nothing but sky-like cells: a reflection); a column that
    // stopped on something (a pier, a valley's floor) keeps its own skyline.
    for (let x = 0; x < qw; x++) if (runs[x] >= qh) runs[x] = Math.min(runs[x], deepest);
  }
  // A skyline is smooth across columns and must stay above every obstacle near it (a tree top, a peak):
  // the lowest run in a window, then averaged (never below any column's own window minimum).
  const win = Math.max(3, Math.round(qw / 40));
  const low = new Float32Array(qw);
  for (let x = 0; x < qw; x++) {
    let m = Infinity;
    for (let k = Math.max(0, x - win); k <= Math.min(qw - 1, x + win); k++) m = Math.min(m, runs[k]);
    low[x] = m;
  }
  const line = new Float32Array(qw);
  for (let x = 0; x < qw; x++) {
    let sum = 0;
    let cnt = 0;
    for (let k = Math.max(0, x - win); k <= Math.min(qw - 1, x + win); k++) ((sum += low[k]), cnt++);
    line[x] = Math.min(low[x], sum / cnt);
  }
  // The sky fades out over the rows just above the skyline: what sits there (mountain tops, haze) holds
  // still while the clouds higher up drift.
  const taper = Math.max(2, qh * 0.08);
  for (let x = 0; x < qw; x++) {
    const end = line[x];
    for (let y = 0; y < Math.ceil(end); y++) sky[y * qw + x] = 1 - smoothstep(end - taper, end, y + 0.5);
  }
  const hasSky = medianRun > 0.06;
  const horizon = hasSky ? medianRun : 0;
  if (!hasSky) sky.fill(0);
  const skyMask = gaussBlur(sky, qw, qh, 2);

  // Mean sky colour: water often mirrors it.
  const [sumR, sumG, sumB, sn] = sumWhere(sky, c.r, c.g, c.b);
  const water = new Float32Array(n);
  const vegetation = new Float32Array(n);
  const haze = new Float32Array(n);
  const highlight = new Float32Array(n);
  // Water lies below the horizon, and (dark clouds can stop the sky walk early) never in the top 30%.
  const horizonRow = Math.max(hasSky ? horizon : 0.4, 0.3) * qh;
  const inputs: AmbientInputs = {
    c,
    texture,
    sat,
    skyMask,
    skyColour: sn ? [sumR / sn, sumG / sn, sumB / sn] : undefined,
    water,
    vegetation,
    haze,
    highlight,
  };
  for (let y = 0; y < qh; y++) ambientRow(inputs, y, smoothstep(horizonRow - 1, horizonRow + 3, y));
  // Blurred masks spread onto neighbouring structure; water and haze only move where the picture is flat,
  // so piers, boats and shores never wobble with them.
  const flatness = flatnessOf(gaussBlur(texture, qw, qh, 1));
  const flat = (m: Float32Array) => multiply(m, flatness);
  return {
    sky: skyMask,
    water: flat(gaussBlur(water, qw, qh, 2)),
    vegetation: gaussBlur(vegetation, qw, qh, 1),
    haze: flat(gaussBlur(haze, qw, qh, 2)),
    highlight: gaussBlur(highlight, qw, qh, 1),
    horizon,
    texture,
  };
}

/** Sky likelihood of one row of cells (and their saturation). */
function skyScoreRow(c: Cues, texture: Float32Array, sat: Float32Array, skyScore: Float32Array, y: number): void {
  const { qw, qh, r: R, g: G, b: B, qluma } = c;
  // Near the top, anything smooth counts (dark sunset clouds are neither blue, bright nor grey): a sky walk
  // that stopped at them would cut clouds in two, and half a cloud drifting tears it.
  const top = 1 - smoothstep(0.12, 0.27, y / qh);
  for (let x = 0, i = y * qw; x < qw; x++, i++) {
    const r = R[i];
    const g = G[i];
    const b = B[i];
    const mx = Math.max(r, g, b);
    sat[i] = mx > 1e-3 ? (mx - Math.min(r, g, b)) / mx : 0;
    const smooth = 1 - smoothstep(0.1, 0.35, texture[i]);
    const blue = smoothstep(-0.02, 0.08, b - r);
    const bright = smoothstep(0.35, 0.7, qluma[i]) * (1 - 0.5 * sat[i]);
    const grey = 1 - smoothstep(0.15, 0.35, sat[i]);
    skyScore[i] = smooth * Math.max(blue, bright, grey * 0.8, top * 0.9);
  }
}

interface AmbientInputs {
  c: Cues;
  texture: Float32Array;
  sat: Float32Array;
  skyMask: Float32Array;
  /** Mean sky colour, when there is sky. */
  skyColour: [number, number, number] | undefined;
  water: Float32Array;
  vegetation: Float32Array;
  haze: Float32Array;
  highlight: Float32Array;
}

/** Water, vegetation, haze and highlight likelihoods of one row of cells (`below`: under the horizon). */
function ambientRow(m: AmbientInputs, y: number, below: number): void {
  const { texture, sat, skyMask, water, vegetation, haze, highlight } = m;
  const { qw, r: R, g: G, b: B, qluma, horizontalness } = m.c;
  const [sr, sg, sb] = m.skyColour ?? [0, 0, 0];
  const hasSky = m.skyColour !== undefined;
  for (let x = 0, i = y * qw; x < qw; x++, i++) {
    const r = R[i];
    const g = G[i];
    const b = B[i];
    const notSky = 1 - skyMask[i];
    const flat = 1 - smoothstep(0.25, 0.6, texture[i]);
    const horiz = smoothstep(0.5, 0.72, horizontalness[i]);
    const blue = smoothstep(-0.03, 0.06, b - r);
    const mirrorsSky = hasSky ? 1 - smoothstep(0.08, 0.25, distance3(r - sr, g - sg, b - sb)) : 0;
    // Calm water: flat, lying in horizontal streaks (reflections, ripples), any colour (a lake at sunset is
    // orange); a sky-coloured or blue surface counts even with less structure.
    // Streaks need some fine texture: a defocused background is flat too, but featureless.
    const streaks = horiz * smoothstep(0.03, 0.1, texture[i]);
    water[i] =
      below *
      notSky *
      flat *
      Math.max(streaks * (0.75 + 0.25 * Math.max(blue, mirrorsSky)), horiz * blue * mirrorsSky, mirrorsSky * 0.6 * streaks) *
      (1 - smoothstep(0.05, 0.12, g - Math.max(r, b)));
    const green = smoothstep(0.01, 0.06, g - Math.max(r, b) * 0.95) * smoothstep(0.08, 0.2, sat[i]);
    vegetation[i] = notSky * green * smoothstep(0.15, 0.4, texture[i]);
    haze[i] =
      (1 - smoothstep(0.1, 0.3, sat[i])) * smoothstep(0.3, 0.6, qluma[i]) * (1 - smoothstep(0.1, 0.3, texture[i])) * (0.4 + 0.6 * notSky);
    highlight[i] = smoothstep(0.72, 0.92, qluma[i]) * notSky;
  }
}

/** Sums of r, g, b over the cells where `where` > 0, and their count. */
function sumWhere(where: Float32Array, r: Float32Array, g: Float32Array, b: Float32Array): [number, number, number, number] {
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let sn = 0;
  for (let i = 0; i < where.length; i++) {
    if (where[i] > 0) {
      sr += r[i];
      sg += g[i];
      sb += b[i];
      sn++;
    }
  }
  return [sr, sg, sb, sn];
}

/** 1 where the (blurred) texture is low, falling to 0 where it is busy. */
function flatnessOf(tex: Float32Array): Float32Array {
  const out = new Float32Array(tex.length);
  for (let i = 0; i < tex.length; i++) out[i] = 1 - smoothstep(0.12, 0.35, tex[i]);
  return out;
}

function multiply(m: Float32Array, by: Float32Array): Float32Array {
  for (let i = 0; i < m.length; i++) m[i] *= by[i];
  return m;
}
