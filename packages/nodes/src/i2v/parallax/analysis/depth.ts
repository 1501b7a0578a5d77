import { gaussBlur, normalizeRobust, smoothstep } from '../filters.js';
import type { Cues } from './cues.js';
import type { SubjectMatte } from './matte.js';
import type { Regions } from './regions.js';
import { spread, total } from './stats.js';

/** Depth range of the scene in focal-plane units: the nearest ground sits at NEAR, land at most FAR, sky at SKY. */
export const NEAR = 1;
export const FAR = 10;
export const SKY = 40;

export function nearnessToDepth(n: number): number {
  const inv = 1 / FAR + n * (1 / NEAR - 1 / FAR);
  return 1 / inv;
}

/**
 * Background depth (quarter resolution) from classical cues: ground rises from near at the bottom to far
 * at the horizon, the sky is farthest, in-focus texture comes forward when the photo has depth of field.
 * Smooth on purpose: the renderer warps with it, and a smooth field never tears.
 */
export function estimateDepth(c: Cues, regions: Regions, subject: SubjectMatte): Float32Array {
  const { qw, qh } = c;
  const n = qw * qh;
  const horizon = regions.horizon > 0 ? regions.horizon : 0.3;
  const focus = normalizeRobust(gaussBlur(c.focus, qw, qh, 3), 0.05);
  // Depth of field only counts as a cue when the photo actually has some (focus varies a lot).
  const mean = total(focus) / n;
  const varc = spread(focus, mean);
  const dof = Math.min(1, Math.sqrt(varc / n) * 2.5);
  const nearness = new Float32Array(n);
  for (let y = 0; y < qh; y++) {
    // Ground plane: nearness grows with distance below the horizon (perspective: 1/depth is linear in rows).
    const ground = smoothstep(horizon - 0.02, 1, (y + 0.5) / qh);
    nearnessRow(nearness, focus, regions.texture, subject.coarse, y * qw, qw, ground, dof);
  }
  const smoothN = gaussBlur(nearness, qw, qh, Math.max(2, Math.round(qh / 30)));
  const depth = new Float32Array(n);
  toDepth(smoothN, regions.sky, depth);
  return gaussBlur(depth, qw, qh, 1);
}

function nearnessRow(
  nearness: Float32Array,
  focus: Float32Array,
  texture: Float32Array,
  coarse: Float32Array,
  i0: number,
  n: number,
  ground: number,
  dof: number,
): void {
  for (let i = i0; i < i0 + n; i++) {
    let v = 0.04 + 0.9 * ground + 0.15 * dof * (focus[i] - 0.5) + 0.06 * (texture[i] - 0.5);
    v = v * (1 - coarse[i] * 0.0);
    nearness[i] = Math.min(1, Math.max(0, v));
  }
}

/** Land depth from nearness, blended to the sky's depth by the sky mask. */
function toDepth(nearness: Float32Array, sky: Float32Array, depth: Float32Array): void {
  for (let i = 0; i < depth.length; i++) {
    const land = nearnessToDepth(nearness[i]);
    const s = sky[i];
    depth[i] = land * (1 - s) + SKY * s;
  }
}
