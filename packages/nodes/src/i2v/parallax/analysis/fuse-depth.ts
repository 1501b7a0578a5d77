import { gaussBlur } from '../filters.js';
import { SKY } from './depth.js';
import { straightenAlongLines, type LinePlaneOptions, type LinePlaneResult } from './line-planes.js';
import { dilate } from './person-layer.js';

export interface DepthCue {
  /** Relative inverse depth, near = 1 (FastDepth), at the field's size. */
  cue: Float32Array;
  /** Weight of the cue where the picture has sky (outdoors, where FastDepth, trained indoors, is weak). */
  outdoorWeight: number;
  /** Weight where it has none (close-ups, interiors). */
  indoorWeight: number;
}

export const DEPTH_CUE: Omit<DepthCue, 'cue'> = { outdoorWeight: 0.3, indoorWeight: 0.5 };

/**
 * builtin/parallax-v2's background depth: the ground/sky prior (estimateDepth) combined with the learned cue,
 * then its near side dilated. The cue's values are matched by rank to the prior's inverse depths over the land
 * (it only orders the scene; the prior keeps the scale), mixed in by weight, never in the sky (kept at SKY)
 * nor under the subject (there the background continues what surrounds it). Dilating the near side by the
 * renderer's own smoothing radius puts the smooth depth ramp at every depth edge on its far side: what
 * stretches as the camera moves is the background, not the near object's edge.
 */
export function fuseDepth(
  prior: Float32Array,
  sky: Float32Array,
  subject: Float32Array,
  qw: number,
  qh: number,
  cue: Float32Array | undefined,
  o: {
    skyShare: number;
    dilateCells: number;
    weights?: Omit<DepthCue, 'cue'>;
    /** Line segments (x0, y0, x1, y1, score in picture pixels): depth made affine along the long ones. */
    lines?: { segments: Float32Array } & LinePlaneOptions;
    /** Filled with what the lines did. */
    report?: Partial<LinePlaneResult>;
  },
): Float32Array {
  const n = qw * qh;
  const inv = new Float32Array(n);
  for (let i = 0; i < n; i++) inv[i] = 1 / prior[i];
  if (cue) {
    const weights = o.weights ?? DEPTH_CUE;
    const wt = o.skyShare > 0.05 ? weights.outdoorWeight : weights.indoorWeight;
    const under = dilate(subject, qw, qh, 3);
    // Land cells (mostly not sky, not the subject): the cue's order mapped onto the prior's inverse depths.
    const land: number[] = [];
    for (let i = 0; i < n; i++) if (sky[i] < 0.5 && under[i] < 0.1) land.push(i);
    if (land.length > 16) {
      const priorSorted = Float32Array.from(land, (i) => inv[i]).sort();
      const order = Int32Array.from(land).sort((a, b) => cue[a] - cue[b] || a - b);
      const matched = new Float32Array(n);
      const cueSorted = Float32Array.from(order, (i) => cue[i]);
      for (let i = 0; i < n; i++) {
        // Rank of this cell's cue among the land cells (binary search), then the prior's value at that rank.
        let lo = 0;
        let hi = cueSorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cueSorted[mid] < cue[i]) lo = mid + 1;
          else hi = mid;
        }
        matched[i] = priorSorted[Math.min(priorSorted.length - 1, lo)];
      }
      for (let i = 0; i < n; i++) {
        const k = wt * (1 - sky[i]) * (1 - Math.min(1, under[i]));
        inv[i] = inv[i] * (1 - k) + matched[i] * k;
      }
    }
  }
  // Near side dilated (the largest inverse depth nearby), except into the sky, which stays far.
  const near = o.dilateCells > 0 ? dilate(inv, qw, qh, o.dilateCells) : inv;
  // After the dilation (a max filter would bend what was made straight), before the sky joins.
  if (o.lines) Object.assign(o.report ?? {}, straightenAlongLines(near, qw, qh, o.lines.segments, subject, sky, o.lines));
  const depth = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = sky[i];
    const land = 1 / Math.max(near[i], 1e-4);
    depth[i] = Math.min(SKY, land * (1 - s) + SKY * s);
  }
  return gaussBlur(depth, qw, qh, 1);
}
