import type { RawDetection } from './decode.js';

export function iou(a: RawDetection, b: RawDetection): number {
  const w = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const h = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * MediaPipe's weighted non-maximum suppression (NonMaxSuppressionCalculator, WEIGHTED, IoU): take the best
 * remaining detection, gather every remaining one overlapping it by more than `threshold` (itself
 * included), replace its box and landmarks by their score-weighted mean, keep its score; repeat. Ties in
 * score keep the earlier detection first, so the result does not depend on sort stability.
 */
export function weightedNms(detections: readonly RawDetection[], threshold: number, maxCount = Infinity): RawDetection[] {
  let remaining = detections
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map((e) => e.d);
  const out: RawDetection[] = [];
  while (remaining.length > 0 && out.length < maxCount) {
    const best = remaining[0];
    const group: RawDetection[] = [];
    const rest: RawDetection[] = [];
    for (const d of remaining) (d === best || iou(best, d) > threshold ? group : rest).push(d);
    let total = 0;
    const box = [0, 0, 0, 0];
    const keypoints = new Float64Array(best.keypoints.length);
    for (const d of group) {
      total += d.score;
      box[0] += d.xmin * d.score;
      box[1] += d.ymin * d.score;
      box[2] += d.xmax * d.score;
      box[3] += d.ymax * d.score;
      for (let k = 0; k < keypoints.length; k++) keypoints[k] += d.keypoints[k] * d.score;
    }
    for (let k = 0; k < keypoints.length; k++) keypoints[k] /= total;
    out.push({ xmin: box[0] / total, ymin: box[1] / total, xmax: box[2] / total, ymax: box[3] / total, score: best.score, keypoints });
    remaining = rest;
  }
  return out;
}
