import { boxBlur, gaussBlur, normalizeRobust, smoothstep } from '../filters.js';
import { connectedComponents } from './components.js';
import type { Cues } from './cues.js';
import { otsuThreshold } from './otsu.js';
import type { Regions } from './regions.js';
import { snapMatte } from './snap-matte.js';
import { smoothstepPlane, spread, total } from './stats.js';

export interface SubjectMatte {
  /** Full-resolution alpha 0..1 (all zero when the photo has no clear subject). */
  alpha: Float32Array;
  /** Window [x0, y0, x1, y1) of the photo outside which alpha is 0. */
  box: [number, number, number, number];
  /** Quarter-resolution soft mask of the subject. */
  coarse: Float32Array;
  found: boolean;
  /** Why a subject was or was not taken (for the UI). */
  reason: string;
  focusContrast: number;
  area: number;
}

/**
 * Finds the subject: in focus against a defocused background, salient in colour, away from the frame's
 * top edge (the sky). A landscape sharp everywhere has no subject: the whole picture is one depth field.
 */
export function findSubject(c: Cues, regions: Regions): SubjectMatte {
  const { qw, qh, w, h } = c;
  const n = qw * qh;
  const focus = normalizeRobust(gaussBlur(c.focus, qw, qh, 2), 0.02);
  const sal = normalizeRobust(c.saliency, 0.02);
  const fine = normalizeRobust(gaussBlur(c.fine, qw, qh, 1), 0.02);
  const score = new Float32Array(n);
  for (let y = 0; y < qh; y++) scoreRow(focus, fine, sal, regions.sky, score, y, qw, qh);
  const smooth = gaussBlur(score, qw, qh, 2);
  // Otsu splits sharp from soft; never below mean + 1σ, so a busy picture does not become all subject.
  const m = total(smooth) / n;
  const v = spread(smooth, m);
  const t = Math.max(otsuThreshold(smooth), m + Math.sqrt(v / n));
  const bin = above(smooth, t);
  const { labels, sizes } = connectedComponents(bin, qw, qh);
  let biggest = 0;
  for (let k = 1; k < sizes.length; k++) if (sizes[k] > sizes[biggest]) biggest = k;
  const keep = new Uint8Array(sizes.length);
  for (let k = 1; k < sizes.length; k++) keep[k] = sizes[k] >= sizes[biggest] * 0.35 ? 1 : 0;
  const mask = new Float32Array(n);
  const [area, fin, fout, touchesTop, minX, maxX] = keptMask(labels, keep, c.fine, qw, mask);
  const areaFrac = area / n;
  const focusContrast = area && area < n ? fin / area / (fout / (n - area) + 1e-6) : 0;
  const empty = (reason: string): SubjectMatte => ({
    alpha: new Float32Array(w * h),
    box: [0, 0, 0, 0],
    coarse: new Float32Array(n),
    found: false,
    reason,
    focusContrast,
    area: areaFrac,
  });
  if (areaFrac < 0.015) return empty('no distinct subject (too small)');
  if (areaFrac > 0.5) return empty('no distinct subject (sharp everywhere)');
  if (focusContrast < 2.2) return empty(`no defocused background (focus contrast ${focusContrast.toFixed(2)})`);
  const structured = structuredShare(c.coarse, mask);
  if (structured < 0.12) {
    return empty(
      `no defocused background to tell a subject from: the rest is flat (sky, calm water, fog; ${(structured * 100).toFixed(0)}% has any structure)`,
    );
  }
  if (minX <= 1 && maxX >= qw - 2) return empty('the sharp region is a band across the whole frame (ground, not a subject)');
  if (maxX - minX > qw * 0.75 && reachesBottom(mask, qw, qh))
    return empty('the sharp region is ground reaching the bottom edge across most of the width');
  if (touchesTop > qw * 0.5) return empty('the sharp region spans the top edge');

  // Close small gaps, then upsample and snap the edge to the photo with a guided filter.
  const closed = smoothstepPlane(boxBlur(mask, qw, qh, 1), 0.25, 0.6);
  const { alpha, box } = snapMatte(closed, qw, qh, c.luma, w, h);
  return {
    alpha,
    box,
    coarse: closed,
    found: true,
    reason: `subject in focus against a defocused background (focus contrast ${focusContrast.toFixed(2)}, ${(areaFrac * 100).toFixed(0)}% of the frame)`,
    focusContrast,
    area: areaFrac,
  };
}

/** Subject score of one row of cells: in focus, textured, salient, central, not sky. */
function scoreRow(
  focus: Float32Array,
  fine: Float32Array,
  sal: Float32Array,
  sky: Float32Array,
  score: Float32Array,
  y: number,
  qw: number,
  qh: number,
): void {
  const dy = (y + 0.5) / qh - 0.55;
  for (let x = 0, i = y * qw; x < qw; x++, i++) {
    const dx = (x + 0.5) / qw - 0.5;
    const centre = 1 - smoothstep(0.1, 0.75, Math.sqrt(dx * dx + dy * dy) * 1.6);
    score[i] = (0.6 * focus[i] + 0.2 * fine[i] + 0.05 * sal[i] + 0.15 * centre) * (1 - sky[i]);
  }
}

function above(v: Float32Array, t: number): Uint8Array {
  const bin = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) bin[i] = v[i] > t ? 1 : 0;
  return bin;
}

/**
 * Marks the cells of the kept components in `mask`; returns [area, fine energy inside, fine energy outside,
 * cells on the top row, leftmost and rightmost column].
 */
/**
 * Share of the cells outside the mask with structure at the coarse scale (edges, bokeh: sharp or blurred). Low
 * fine detail there is evidence of defocus; flat sky, calm water or fog are not, as they have no detail to lose:
 * a few sharp reeds against a clear evening sky are not a subject in front of a defocused background.
 */
function structuredShare(coarse: Float32Array, mask: Float32Array): number {
  let mean = 0;
  for (let i = 0; i < coarse.length; i++) mean += coarse[i];
  const threshold = Math.max(0.01, (0.5 * mean) / coarse.length);
  let outside = 0;
  let structured = 0;
  for (let i = 0; i < coarse.length; i++) {
    if (mask[i] > 0) continue;
    outside++;
    if (coarse[i] > threshold) structured++;
  }
  return outside ? structured / outside : 0;
}

function reachesBottom(mask: Float32Array, qw: number, qh: number): boolean {
  for (let i = (qh - 2) * qw; i < qh * qw; i++) if (mask[i] > 0) return true;
  return false;
}

function keptMask(
  labels: Int32Array,
  keep: Uint8Array,
  fine: Float32Array,
  qw: number,
  mask: Float32Array,
): [number, number, number, number, number, number] {
  let area = 0;
  let fin = 0;
  let fout = 0;
  let touchesTop = 0;
  let minX = qw;
  let maxX = 0;
  for (let i = 0; i < labels.length; i++) {
    const inside = labels[i] > 0 && keep[labels[i]] === 1;
    mask[i] = inside ? 1 : 0;
    if (inside) {
      area++;
      fin += fine[i];
      const x = i % qw;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (i < qw) touchesTop++;
    } else fout += fine[i];
  }
  return [area, fin, fout, touchesTop, minX, maxX];
}
