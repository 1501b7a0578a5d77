/**
 * builtin/parallax-v2: straight structure stays straight. Long line segments in the background (walls, facades,
 * door frames, trunks, a horizon) make the inverse depth affine along them, and along every line parallel to
 * them within a band around each.
 *
 * Why inverse depth, and why a band. The renderer lifts photo pixel u to the scene point d(u)·ray(u) and
 * projects it with a pinhole camera (render/project.ts; the photo's camera at the origin, its focal plane at
 * depth 1). Points d(t)·ray(u(t)) along a straight photo line u(t) lie in one plane through the photo's camera;
 * they lie on one straight 3D line exactly when 1/d is affine in t, and a pinhole camera anywhere maps a 3D
 * line to a straight line. (Pure rotations keep any line straight; translation — truck, orbit, push in — bends
 * a line whose 1/d is not affine.) The renderer blurs the disparity first (three box blurs, renderer.ts
 * smoothDepth). A field that is affine along the segment's direction on every parallel line within the blur's
 * reach, f(t, s) = a(s) + b(s)·t, stays so under any blur (the kernel is symmetric), so the band is as wide
 * as the blur's support: a depth step across the line (a trunk before the forest) is kept, the line does not
 * bow. The subject layer's cells are left alone (its depth edge stays where the matte says), and so is the sky.
 */

export interface LinePlaneOptions {
  /** Picture size in pixels (segments are in its pixels) and the cell size. */
  width: number;
  height: number;
  q: number;
  /** Half-width of the band around a segment, and how far it runs on past the ends, in cells. */
  bandCells: number;
  /** Over how many cells the correction fades out beyond the band. */
  featherCells: number;
  /** Shortest segment used, as a share of the picture's diagonal. */
  minLength?: number;
  /** At most this many segments (the longest). */
  maxSegments?: number;
}

export interface LinePlaneResult {
  /** Segments that shaped the depth. */
  used: number;
  /** Segments long enough but on the subject, in the sky, or past the maxSegments longest. */
  skipped: number;
}

/** Parallel lines are fitted every ROW_STEP cells across a band and interpolated between. */
const ROW_STEP = 2;

interface Axis {
  ox: number;
  oy: number;
  dx: number;
  dy: number;
  len: number;
}

/**
 * Makes `inv` (land inverse depth at qw×qh, cell centres at integer cell coordinates) affine along the long
 * background segments, in place. `subject` and `sky` are 0..1 per cell; cells on the subject (above 0.1) and
 * the sky's share of a cell keep their values.
 */
export function straightenAlongLines(
  inv: Float32Array,
  qw: number,
  qh: number,
  segments: Float32Array,
  subject: Float32Array,
  sky: Float32Array,
  o: LinePlaneOptions,
): LinePlaneResult {
  const axes = selectAxes(segments, qw, qh, subject, sky, o);
  const result = { used: axes.used.length, skipped: axes.skipped };
  if (axes.used.length === 0) return result;
  const B = o.bandCells;
  const F = Math.max(1, o.featherCells);
  const n = qw * qh;
  const num = new Float64Array(n);
  const den = new Float64Array(n);
  const reach = new Float32Array(n);
  const nRows = Math.floor((2 * B) / ROW_STEP) + 1;
  const a = new Float64Array(nRows);
  const b = new Float64Array(nRows);
  const ok = new Uint8Array(nRows);
  const span = new Float64Array(2);
  const samples = { t: new Float64Array(0), v: new Float64Array(0), w: new Float64Array(0), r: new Float64Array(0) };
  for (const ax of axes.used) {
    if (!fitRows(inv, qw, qh, subject, sky, ax, B, a, b, ok, samples)) continue;
    // Cells within the band (and its feather) of this axis, row by row (the rotated rectangle's span).
    const ext = B + F;
    const yA = ax.oy;
    const yB = ax.oy + ax.dy * ax.len;
    const y0 = Math.max(0, Math.floor(Math.min(yA, yB) - ext - 1));
    const y1 = Math.min(qh - 1, Math.ceil(Math.max(yA, yB) + ext + 1));
    for (let y = y0; y <= y1; y++) {
      const ry = y - ax.oy;
      rowSpan(ax.ox, ax.dx, ax.dy, ax.len, ry, ext, qw, span);
      if (span[1] < span[0]) continue;
      accumulateRow(num, den, reach, a, b, nRows, y * qw, span[0], span[1], ax.ox, ry, ax.dx, ax.dy, ax.len, B, F);
    }
  }
  for (let i = 0; i < n; i++) {
    if (den[i] <= 0) continue;
    const keep = subject[i] > 0.1 ? 0 : 1 - Math.min(1, Math.max(0, sky[i]));
    const k = reach[i] * keep;
    inv[i] = inv[i] * (1 - k) + (num[i] / den[i]) * k;
  }
  return result;
}

/**
 * One grid row's cells [xa, xb] of one band: the band's model a(s) + b(s)·t (a, b per fitted parallel line,
 * linear between lines: still affine along t), weighted by the band's fade and, where bands overlap, by the
 * nearness to this axis (each segment rules its own neighbourhood).
 */
function accumulateRow(
  num: Float64Array,
  den: Float64Array,
  reach: Float32Array,
  a: Float64Array,
  b: Float64Array,
  nRows: number,
  row: number,
  xa: number,
  xb: number,
  ox: number,
  ry: number,
  dx: number,
  dy: number,
  len: number,
  B: number,
  F: number,
): void {
  const ext = B + F;
  const invSigma = 2.5 / B;
  for (let x = xa; x <= xb; x++) {
    const rx = x - ox;
    const t = rx * dx + ry * dy;
    const s = ry * dx - rx * dy;
    const as = s < 0 ? -s : s;
    if (as > ext || t < -ext || t > len + ext) continue;
    const w = fade(as, B, F) * fade(-t, B, F) * fade(t - len, B, F);
    if (w <= 0) continue;
    let u = (s + B) / ROW_STEP;
    u = u < 0 ? 0 : u > nRows - 1 ? nRows - 1 : u;
    const r0 = u | 0;
    const r1 = r0 + 1 < nRows ? r0 + 1 : r0;
    const f = u - r0;
    const v0 = a[r0] + b[r0] * t;
    const model = v0 + (a[r1] + b[r1] * t - v0) * f;
    const z = s * invSigma;
    const imp = w * (Math.exp(-z * z) + 1e-3);
    const i = row + x;
    num[i] += imp * model;
    den[i] += imp;
    if (w > reach[i]) reach[i] = w;
  }
}

/**
 * Columns of row ry (relative to the axis origin) where |s| <= ext and -ext <= t <= len + ext, clipped to the
 * grid, into out (empty when out[1] < out[0]). t = rx·dx + ry·dy and s = ry·dx − rx·dy are linear in rx.
 */
function rowSpan(ox: number, dx: number, dy: number, len: number, ry: number, ext: number, qw: number, out: Float64Array): void {
  let lo = -1e9;
  let hi = 1e9;
  // t bound: -ext <= rx·dx + ry·dy <= len + ext.
  if (Math.abs(dx) > 1e-9) {
    const p = (-ext - ry * dy) / dx;
    const q = (len + ext - ry * dy) / dx;
    lo = Math.max(lo, Math.min(p, q));
    hi = Math.min(hi, Math.max(p, q));
  } else if (ry * dy < -ext || ry * dy > len + ext) hi = -1e9;
  // s bound: -ext <= ry·dx − rx·dy <= ext.
  if (Math.abs(dy) > 1e-9) {
    const p = (ry * dx + ext) / dy;
    const q = (ry * dx - ext) / dy;
    lo = Math.max(lo, Math.min(p, q));
    hi = Math.min(hi, Math.max(p, q));
  } else if (Math.abs(ry * dx) > ext) hi = -1e9;
  out[0] = Math.max(0, Math.floor(ox + lo));
  out[1] = Math.min(qw - 1, Math.ceil(ox + hi));
}

/** 1 up to `edge`, then a smooth fall to 0 over `feather` (for negative x: 1). */
function fade(x: number, edge: number, feather: number): number {
  if (x <= edge) return 1;
  const u = Math.min(1, (x - edge) / feather);
  return 1 - u * u * (3 - 2 * u);
}

/** Long segments clear of the subject and the sky, in cell coordinates, longest first (at most maxSegments). */
function selectAxes(
  segments: Float32Array,
  qw: number,
  qh: number,
  subject: Float32Array,
  sky: Float32Array,
  o: LinePlaneOptions,
): { used: Axis[]; skipped: number } {
  const diag = Math.hypot(o.width, o.height);
  const minLen = (o.minLength ?? 0.06) * diag;
  const cand: Array<Axis & { px: number }> = [];
  let skipped = 0;
  for (let k = 0; k + 4 < segments.length; k += 5) {
    const [x0, y0, x1, y1] = [segments[k], segments[k + 1], segments[k + 2], segments[k + 3]];
    const px = Math.hypot(x1 - x0, y1 - y0);
    if (!(px >= minLen)) continue;
    // Pixel corner coordinates to cell coordinates (cell centres at integers).
    const ox = x0 / o.q - 0.5;
    const oy = y0 / o.q - 0.5;
    const len = px / o.q;
    const dx = (x1 - x0) / o.q / len;
    const dy = (y1 - y0) / o.q / len;
    let onSubject = 0;
    let onSky = 0;
    const N = 32;
    for (let j = 0; j <= N; j++) {
      const cx = Math.min(qw - 1, Math.max(0, Math.round(ox + dx * len * (j / N))));
      const cy = Math.min(qh - 1, Math.max(0, Math.round(oy + dy * len * (j / N))));
      if (subject[cy * qw + cx] > 0.5) onSubject++;
      if (sky[cy * qw + cx] > 0.5) onSky++;
    }
    if (onSubject > 0.2 * (N + 1) || onSky > 0.5 * (N + 1)) {
      skipped++;
      continue;
    }
    cand.push({ ox, oy, dx, dy, len, px });
  }
  // Longest first, ties by position: the same segments in any order give the same depth.
  cand.sort((a, b) => b.px - a.px || a.oy - b.oy || a.ox - b.ox || a.dx - b.dx);
  const used = cand.slice(0, o.maxSegments ?? 96);
  return { used, skipped: skipped + cand.length - used.length };
}

/**
 * The affine fits along one axis: one per parallel line s = -B, -B + ROW_STEP, ..., B (a + b·t) into a and b.
 * Lines with too few samples take the nearest fitted line's. False when no line could be fitted.
 */
function fitRows(
  inv: Float32Array,
  qw: number,
  qh: number,
  subject: Float32Array,
  sky: Float32Array,
  ax: Axis,
  B: number,
  a: Float64Array,
  b: Float64Array,
  ok: Uint8Array,
  buf: { t: Float64Array; v: Float64Array; w: Float64Array; r: Float64Array },
): boolean {
  const nRows = a.length;
  const t0 = -B;
  const nt = Math.floor(ax.len + 2 * B) + 1;
  if (buf.t.length < nt) {
    buf.t = new Float64Array(nt);
    buf.v = new Float64Array(nt);
    buf.w = new Float64Array(nt);
    buf.r = new Float64Array(nt);
  }
  const fit = new Float64Array(2);
  let any = false;
  ok.fill(0);
  for (let r = 0; r < nRows; r++) {
    const s = r * ROW_STEP - B;
    const m = sampleLine(inv, qw, qh, subject, sky, ax.ox - ax.dy * s, ax.oy + ax.dx * s, ax.dx, ax.dy, t0, nt, buf.t, buf.v);
    // A line needs samples over a good part of the band's length to say how depth runs along it.
    if (m < Math.max(6, 0.3 * nt)) continue;
    robustLine(buf.t, buf.v, m, buf.w, buf.r, fit);
    a[r] = fit[0];
    b[r] = fit[1];
    ok[r] = 1;
    any = true;
  }
  if (!any) return false;
  const mid = (nRows - 1) / 2;
  for (let r = 0; r < nRows; r++) {
    if (ok[r]) continue;
    // Outwards first, then inwards.
    for (let k = 1; k < nRows; k++) {
      const c = r + (r < mid ? -k : k);
      const c2 = r + (r < mid ? k : -k);
      const src = c >= 0 && c < nRows && ok[c] === 1 ? c : c2 >= 0 && c2 < nRows && ok[c2] === 1 ? c2 : -1;
      if (src >= 0) {
        a[r] = a[src];
        b[r] = b[src];
        break;
      }
    }
  }
  return true;
}

/** Samples inv along one line (origin x0, y0; direction dx, dy; t = t0 .. t0 + nt - 1), skipping the subject and sky. */
function sampleLine(
  inv: Float32Array,
  qw: number,
  qh: number,
  subject: Float32Array,
  sky: Float32Array,
  x0: number,
  y0: number,
  dx: number,
  dy: number,
  t0: number,
  nt: number,
  ts: Float64Array,
  vs: Float64Array,
): number {
  let m = 0;
  for (let j = 0; j < nt; j++) {
    const t = t0 + j;
    const x = x0 + dx * t;
    const y = y0 + dy * t;
    if (x < 0 || y < 0 || x > qw - 1 || y > qh - 1) continue;
    const i = Math.round(y) * qw + Math.round(x);
    if (subject[i] > 0.1 || sky[i] > 0.5) continue;
    ts[m] = t;
    vs[m] = bilinear(inv, qw, qh, x, y);
    m++;
  }
  return m;
}

function bilinear(v: Float32Array, w: number, h: number, x: number, y: number): number {
  const x0 = Math.min(w - 2, Math.max(0, Math.floor(x)));
  const y0 = Math.min(h - 2, Math.max(0, Math.floor(y)));
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * w + x0;
  const top = v[i] + (v[i + 1] - v[i]) * fx;
  const bot = v[i + w] + (v[i + w + 1] - v[i + w]) * fx;
  return top + (bot - top) * fy;
}

/** Least squares line through (t, v) (the first m), then three Huber reweightings (robust to a crossing object or a step); [a, b] into out. */
export function robustLine(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  m: number,
  w: Float64Array = new Float64Array(m),
  res: Float64Array = new Float64Array(m),
  out: Float64Array = new Float64Array(2),
): Float64Array {
  w.fill(1, 0, m);
  for (let iter = 0; iter < 4; iter++) {
    let sw = 0;
    let st = 0;
    let sv = 0;
    let stt = 0;
    let stv = 0;
    for (let j = 0; j < m; j++) {
      const wj = w[j];
      const t = ts[j];
      sw += wj;
      st += wj * t;
      sv += wj * vs[j];
      stt += wj * t * t;
      stv += wj * t * vs[j];
    }
    const det = sw * stt - st * st;
    const slope = Math.abs(det) > 1e-12 ? (sw * stv - st * sv) / det : 0;
    out[0] = (sv - slope * st) / sw;
    out[1] = slope;
    if (iter === 3) break;
    // Mean absolute residual (×1.25 ≈ σ for Gaussian noise): no sort in the loop that runs per band line.
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const r = Math.abs(vs[j] - out[0] - out[1] * ts[j]);
      res[j] = r;
      sum += r;
    }
    const k = 1.5 * ((1.25 * sum) / m + 1e-6);
    for (let j = 0; j < m; j++) w[j] = res[j] > k ? k / res[j] : 1;
  }
  return out;
}
