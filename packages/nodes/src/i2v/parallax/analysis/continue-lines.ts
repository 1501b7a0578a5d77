import type { ExemplarFill } from './exemplar-fill.js';

/**
 * builtin/parallax-v2: straight structure continued through the fill behind the subject (structure propagation,
 * after Sun et al. 2005, reduced to straight lines). Patch copying alone keeps texture but breaks a flag pole,
 * a door frame or a horizon where it passes behind a person: what a move uncovers there shows the line stop.
 *
 * For each long background segment (M-LSD) that runs into the hole, the cross-section of the photo across the
 * segment is read over its last stretch before the hole: per offset s from the line, the mean colour along the
 * line and how much it varies. Offsets that stay the same along the line (the pole itself, either side of an
 * edge) are structure; they are drawn on along the line's direction through the hole, easing into the
 * copied texture where the cross-section varies (a flag's stripes beside the pole stay the patch fill's).
 * Where the line comes out on the hole's far side with a like cross-section, the colours run from one side's
 * to the other's. Deterministic: arithmetic only, segments in the detector's order.
 */
export interface ContinueLinesOptions {
  /** How deep into the hole the fill is seen (exemplarFill's band), in pixels. */
  band: number;
  /** Shortest segment used, as a share of the photo's diagonal. */
  minLength?: number;
}

/** Segments stored as x0, y0, x1, y1, score. */
const STRIDE = 5;

/** One segment's end that runs into the hole: where it starts in line coordinates and how far it may be drawn. */
interface Run {
  /** The segment's end (photo pixels) and its unit direction into the hole. */
  ex: number;
  ey: number;
  dx: number;
  dy: number;
  /** Along the line from the end: where the hole starts, where the far side's photo starts again (or the draw limit). */
  entry: number;
  exit: number;
  /** Whether the line comes out on the far side within the limit. */
  through: boolean;
}

/** Cross-section across a line: per offset, mean RGB along the line and how far the samples stray from it. */
interface Profile {
  mean: Float32Array;
  spread: Float32Array;
  count: Float32Array;
}

/**
 * Draws the lines on into `fill.planes` (over `box`, where the hole is and `fill.weight` > 0), in place. Returns
 * how many segment ends were continued. `hole`: w×h, 1 where the photo is unusable (the grown subject).
 */
export function continueLines(
  rgb: Uint8Array,
  hole: Uint8Array,
  w: number,
  h: number,
  box: [number, number, number, number],
  fill: ExemplarFill,
  segments: Float32Array,
  o: ContinueLinesOptions,
): number {
  const scale = Math.max(w, h) / 1280;
  const minLen = (o.minLength ?? 0.05) * Math.hypot(w, h);
  // Half-width of the cross-section read and drawn, how far the end may stop short of the hole, how much of the
  // line before the hole is read.
  const radius = Math.max(3, Math.round(10 * scale));
  const gap = Math.max(4, Math.round(8 * scale));
  const read = Math.max(12, Math.round(40 * scale));
  const limit = o.band * 1.25 + radius;
  let continued = 0;
  for (let k = 0; k + 4 < segments.length; k += STRIDE) {
    const x0 = segments[k];
    const y0 = segments[k + 1];
    const x1 = segments[k + 2];
    const y1 = segments[k + 3];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (!(len >= minLen)) continue;
    // A segment on the subject is the subject's own edge, not structure behind it.
    if (holeShare(hole, w, h, x0, y0, x1, y1) > 0.2) continue;
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    for (const [ex, ey, dx, dy] of [
      [x1, y1, ux, uy],
      [x0, y0, -ux, -uy],
    ] as const) {
      const run = findRun(hole, w, h, ex, ey, dx, dy, gap, limit);
      if (!run) continue;
      // Both sides read in the run's own frame (same direction, same normal), so offset s means the same on each.
      const near = crossSection(rgb, hole, w, h, ex, ey, dx, dy, -Math.min(read, len), -1, radius);
      if (!isStructure(near)) continue;
      let far: Profile | undefined;
      if (run.through) {
        const back = crossSection(rgb, hole, w, h, ex + dx * run.exit, ey + dy * run.exit, dx, dy, 1, read, radius);
        if (isStructure(back) && alike(near, back)) far = back;
      }
      if (drawRun(fill, hole, w, box, run, near, far, radius)) continued++;
    }
  }
  return continued;
}

/** Share of points along the segment that lie in the hole. */
function holeShare(hole: Uint8Array, w: number, h: number, x0: number, y0: number, x1: number, y1: number): number {
  let inside = 0;
  const n = 32;
  for (let i = 0; i < n; i++) {
    const t = (i + 0.5) / n;
    if (holeAt(hole, w, h, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)) inside++;
  }
  return inside / n;
}

function holeAt(hole: Uint8Array, w: number, h: number, x: number, y: number): boolean {
  const px = Math.floor(x);
  const py = Math.floor(y);
  return px >= 0 && py >= 0 && px < w && py < h && hole[py * w + px] === 1;
}

/**
 * From the segment's end along (dx, dy): the hole must start within `gap`; then the run lasts until the photo is
 * seen again (through) or the limit past the entry, or the picture's edge.
 */
function findRun(
  hole: Uint8Array,
  w: number,
  h: number,
  ex: number,
  ey: number,
  dx: number,
  dy: number,
  gap: number,
  limit: number,
): Run | undefined {
  let entry = -1;
  for (let t = 0; t <= gap; t++) {
    if (holeAt(hole, w, h, ex + dx * t, ey + dy * t)) {
      entry = t;
      break;
    }
  }
  if (entry < 0) return undefined;
  for (let t = entry + 1; t <= entry + limit; t++) {
    const x = ex + dx * t;
    const y = ey + dy * t;
    if (x < 0 || y < 0 || x >= w || y >= h) return { ex, ey, dx, dy, entry, exit: t, through: false };
    if (!holeAt(hole, w, h, x, y)) return { ex, ey, dx, dy, entry, exit: t, through: true };
  }
  return { ex, ey, dx, dy, entry, exit: entry + limit, through: false };
}

/**
 * The photo's cross-section across the line through (ox, oy) with direction (dx, dy), read from t0 to t1 along it
 * (photo pixels outside the hole only), at integer offsets -radius..radius (bilinear samples).
 */
function crossSection(
  rgb: Uint8Array,
  hole: Uint8Array,
  w: number,
  h: number,
  ox: number,
  oy: number,
  dx: number,
  dy: number,
  t0: number,
  t1: number,
  radius: number,
): Profile {
  const side = 2 * radius + 1;
  const sum = new Float64Array(side * 3);
  const sq = new Float64Array(side);
  const count = new Float32Array(side);
  const px = new Float64Array(3);
  // Normal to the line.
  const nx = -dy;
  const ny = dx;
  for (let t = t0; t <= t1; t++) {
    for (let s = -radius; s <= radius; s++) {
      const x = ox + dx * t + nx * s;
      const y = oy + dy * t + ny * s;
      if (x < 0 || y < 0 || x > w - 1 || y > h - 1 || holeAt(hole, w, h, x, y)) continue;
      bilinear(rgb, w, h, x, y, px);
      const i = s + radius;
      sum[i * 3] += px[0];
      sum[i * 3 + 1] += px[1];
      sum[i * 3 + 2] += px[2];
      sq[i] += px[0] * px[0] + px[1] * px[1] + px[2] * px[2];
      count[i]++;
    }
  }
  const mean = new Float32Array(side * 3);
  const spread = new Float32Array(side);
  for (let i = 0; i < side; i++) {
    const n = count[i];
    if (!n) continue;
    let m2 = 0;
    for (let c = 0; c < 3; c++) {
      mean[i * 3 + c] = sum[i * 3 + c] / n;
      m2 += mean[i * 3 + c] * mean[i * 3 + c];
    }
    // RMS distance of the samples from their mean colour.
    spread[i] = Math.sqrt(Math.max(0, sq[i] / n - m2));
  }
  return { mean, spread, count };
}

function bilinear(rgb: Uint8Array, w: number, h: number, x: number, y: number, out: Float64Array): void {
  const x0 = Math.min(w - 2, Math.floor(x));
  const y0 = Math.min(h - 2, Math.floor(y));
  const fx = x - x0;
  const fy = y - y0;
  const i = (y0 * w + x0) * 3;
  const r = (y0 + 1) * w * 3 + x0 * 3;
  for (let c = 0; c < 3; c++) {
    const top = rgb[i + c] + (rgb[i + 3 + c] - rgb[i + c]) * fx;
    const bottom = rgb[r + c] + (rgb[r + 3 + c] - rgb[r + c]) * fx;
    out[c] = top + (bottom - top) * fy;
  }
}

/** How strongly an offset is drawn: 1 where the colour holds along the line, 0 where it varies like texture. */
function steadiness(p: Profile, i: number): number {
  if (p.count[i] < 4) return 0;
  const t = (STEADY_SPREAD * 2 - p.spread[i]) / STEADY_SPREAD;
  return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t);
}

/** RMS spread (RGB levels) under which an offset's colour counts as holding along the line. */
const STEADY_SPREAD = 14;

/**
 * Whether the cross-section carries a line worth continuing: most offsets hold their colour along it, and the
 * colour changes across it (a bar or an edge), clearly more than it varies along it.
 */
function isStructure(p: Profile): boolean {
  const side = p.count.length;
  let steady = 0;
  let lo = [Infinity, Infinity, Infinity];
  let hi = [-Infinity, -Infinity, -Infinity];
  let spread = 0;
  for (let i = 0; i < side; i++) {
    if (p.count[i] < 4) return false;
    const s = steadiness(p, i);
    steady += s;
    spread += p.spread[i];
    if (s < 0.5) continue;
    lo = lo.map((v, c) => Math.min(v, p.mean[i * 3 + c]));
    hi = hi.map((v, c) => Math.max(v, p.mean[i * 3 + c]));
  }
  if (steady < side * 0.5) return false;
  const contrast = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  return contrast >= MIN_CONTRAST && contrast > (2 * spread) / side;
}

/** Least colour change across the line (RGB levels) for it to count as structure. */
const MIN_CONTRAST = 24;

/** Whether the far side's cross-section is the same line: its steady offsets close in colour to the near side's. */
function alike(a: Profile, b: Profile): boolean {
  let diff = 0;
  let n = 0;
  for (let i = 0; i < a.count.length; i++) {
    const k = Math.min(steadiness(a, i), steadiness(b, i));
    if (!k) continue;
    for (let c = 0; c < 3; c++) diff += k * Math.abs(a.mean[i * 3 + c] - b.mean[i * 3 + c]);
    n += 3 * k;
  }
  return n > 0 && diff / n < 28;
}

/**
 * Paints the cross-section on along the run into the fill: hole pixels with fill weight > 0 whose position along the
 * line lies in [entry − radius, exit] and across it within radius (fading over its outer third, so the drawn strip has no hard edge of its own), each offset as
 * strongly as it held its colour. Returns whether any pixel was drawn.
 */
function drawRun(
  fill: ExemplarFill,
  hole: Uint8Array,
  w: number,
  box: [number, number, number, number],
  run: Run,
  near: Profile,
  far: Profile | undefined,
  radius: number,
): boolean {
  const [bx0, by0, bx1, by1] = box;
  const bw = bx1 - bx0;
  const { ex, ey, dx, dy, entry, exit } = run;
  const nx = -dy;
  const ny = dx;
  const t0 = Math.max(0, entry - radius);
  // The run's bounding box, clipped to the fill's box.
  const xs = [ex + dx * t0 + nx * radius, ex + dx * t0 - nx * radius, ex + dx * exit + nx * radius, ex + dx * exit - nx * radius];
  const ys = [ey + dy * t0 + ny * radius, ey + dy * t0 - ny * radius, ey + dy * exit + ny * radius, ey + dy * exit - ny * radius];
  const qx0 = Math.max(bx0, Math.floor(Math.min(...xs)));
  const qx1 = Math.min(bx1, Math.ceil(Math.max(...xs)) + 1);
  const qy0 = Math.max(by0, Math.floor(Math.min(...ys)));
  const qy1 = Math.min(by1, Math.ceil(Math.max(...ys)) + 1);
  const [p0, p1, p2] = fill.planes;
  let drawn = false;
  for (let y = qy0; y < qy1; y++) {
    for (let x = qx0; x < qx1; x++) {
      if (!hole[y * w + x]) continue;
      const o = (y - by0) * bw + (x - bx0);
      if (!(fill.weight[o] > 0)) continue;
      // Pixel centre in line coordinates.
      const rx = x + 0.5 - ex;
      const ry = y + 0.5 - ey;
      const t = rx * dx + ry * dy;
      const s = rx * nx + ry * ny;
      if (t < t0 || t > exit || Math.abs(s) > radius) continue;
      const edge = Math.min(1, (radius - Math.abs(s)) / Math.max(2, radius / 3));
      // Between integer offsets, and from the near side's colours to the far side's across the hole.
      const sf = s + radius;
      const i0 = Math.min(2 * radius - 1, Math.floor(sf));
      const f = sf - i0;
      const along = far ? Math.min(1, Math.max(0, (t - entry) / Math.max(1, exit - entry))) : 0;
      const a0 = blendAt(near, far, i0, along);
      const a1 = blendAt(near, far, i0 + 1, along);
      const k = (a0.k * (1 - f) + a1.k * f) * edge;
      if (!(k > 0)) continue;
      p0[o] += (a0.r * (1 - f) + a1.r * f - p0[o]) * k;
      p1[o] += (a0.g * (1 - f) + a1.g * f - p1[o]) * k;
      p2[o] += (a0.b * (1 - f) + a1.b * f - p2[o]) * k;
      drawn = true;
    }
  }
  return drawn;
}

/** Offset i's colour and strength, `along` of the way from the near side's cross-section to the far side's. */
function blendAt(near: Profile, far: Profile | undefined, i: number, along: number): { r: number; g: number; b: number; k: number } {
  const kn = steadiness(near, i);
  if (!far) return { r: near.mean[i * 3], g: near.mean[i * 3 + 1], b: near.mean[i * 3 + 2], k: kn };
  const kf = steadiness(far, i);
  const mix = (c: number) => near.mean[i * 3 + c] * (1 - along) + far.mean[i * 3 + c] * along;
  return { r: mix(0), g: mix(1), b: mix(2), k: Math.min(kn, kf) };
}
