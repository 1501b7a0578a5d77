import { boxBlur, resizeWindow } from '../filters.js';
import { guidedFilter } from './guided-filter.js';
import { smoothstepPlane } from './stats.js';

type Box = [number, number, number, number];

/**
 * Upsamples the quarter-resolution subject mask `closed` (qw×qh) to a full-resolution alpha whose edge
 * follows the photo (guided filter on the luma), with a 1-2 px feather. Edge snapping at up to 720p
 * resolution (above that at half size, then upsampled: same look, a quarter of the work).
 * Only the box the mask can reach is worked on (returned: alpha is 0 outside it): the guided filter's output is 0 (alpha exactly 0) farther
 * than 2r from the mask, and the inputs it reads lie within another 2r.
 */
export function snapMatte(
  closed: Float32Array,
  qw: number,
  qh: number,
  luma: Float32Array,
  w: number,
  h: number,
): { alpha: Float32Array; box: Box } {
  const half = Math.min(w, h) > 800 ? 2 : 1;
  const gw = Math.floor(w / half);
  const gh = Math.floor(h / half);
  const r = Math.max(4, Math.round(Math.min(gw, gh) / 90));
  const alpha = new Float32Array(w * h);
  let cx0 = qw;
  let cy0 = qh;
  let cx1 = 0;
  let cy1 = 0;
  for (let y = 0; y < qh; y++) {
    for (let x = 0; x < qw; x++) {
      if (closed[y * qw + x] > 0) {
        if (x < cx0) cx0 = x;
        if (x >= cx1) cx1 = x + 1;
        if (y < cy0) cy0 = y;
        cy1 = y + 1;
      }
    }
  }
  if (cx1 <= cx0) return { alpha, box: [0, 0, 0, 0] };
  // Guide pixels the mask's cells reach (bilinear: one cell further), plus the filter's reach.
  const sx = gw / qw;
  const sy = gh / qh;
  const margin = 4 * r + 2;
  const gbox: Box = [
    Math.max(0, Math.floor((cx0 - 1) * sx) - margin),
    Math.max(0, Math.floor((cy0 - 1) * sy) - margin),
    Math.min(gw, Math.ceil((cx1 + 1) * sx) + margin),
    Math.min(gh, Math.ceil((cy1 + 1) * sy) + margin),
  ];
  const bw = gbox[2] - gbox[0];
  const bh = gbox[3] - gbox[1];
  const guide = half === 1 ? cropPlane(luma, w, gbox) : resizeWindow(luma, w, h, gw, gh, gbox);
  const up = resizeWindow(closed, qw, qh, gw, gh, gbox);
  let guided = guidedFilter(guide, up, bw, bh, r, 2e-3);
  let box = gbox;
  if (half !== 1) {
    const full = new Float32Array(gw * gh);
    for (let y = 0; y < bh; y++) full.set(guided.subarray(y * bw, (y + 1) * bw), (gbox[1] + y) * gw + gbox[0]);
    box = [
      Math.max(0, gbox[0] * half - half),
      Math.max(0, gbox[1] * half - half),
      Math.min(w, gbox[2] * half + half),
      Math.min(h, gbox[3] * half + half),
    ];
    guided = resizeWindow(full, gw, gh, w, h, box);
  }
  // The guided result cut to a clean edge.
  smoothstepPlane(guided, 0.35, 0.65);
  // Feather: a 1-2 px soft edge so the cut-out never shows a hard seam when it moves.
  const fw = box[2] - box[0];
  const feathered = boxBlur(guided, fw, box[3] - box[1], Math.max(1, Math.round(Math.min(w, h) / 500)));
  for (let y = box[1]; y < box[3]; y++) alpha.set(feathered.subarray((y - box[1]) * fw, (y - box[1] + 1) * fw), y * w + box[0]);
  return { alpha, box };
}

function cropPlane(src: Float32Array, w: number, box: Box): Float32Array {
  const bw = box[2] - box[0];
  const out = new Float32Array(bw * (box[3] - box[1]));
  for (let y = box[1]; y < box[3]; y++) out.set(src.subarray(y * w + box[0], y * w + box[2]), (y - box[1]) * bw);
  return out;
}
