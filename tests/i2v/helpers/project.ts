import type { CameraPose } from '../../../packages/nodes/src/values/camera.js';
import { F0, viewRays } from '../../../packages/nodes/src/i2v/parallax/render/project.js';

/**
 * Where a scene point shows in a frame: the photo pixel (px, py) lifted to depth d (the photo's camera sees it
 * at that pixel), then seen from `pose`. The renderer's own conventions (render/project.ts): +x right, +y up,
 * +z into the picture, the focal plane at depth 1. Returns frame pixel coordinates (centres at integers).
 */
export function projectPoint(pose: CameraPose, px: number, py: number, d: number, w: number, h: number): [number, number] {
  const half = h / 2;
  const F0s = F0 * half;
  const x0 = w / 2 - 0.5;
  const y0 = half - 0.5;
  const P = [((px - x0) * d) / F0s, (-(py - y0) * d) / F0s, d];
  const { m, f, c } = viewRays(pose);
  const rel = [P[0] - c[0], P[1] - c[1], P[2] - c[2]];
  // Camera coordinates: the transpose of the camera-to-world rotation.
  const cx = m[0] * rel[0] + m[3] * rel[1] + m[6] * rel[2];
  const cy = m[1] * rel[0] + m[4] * rel[1] + m[7] * rel[2];
  const cz = m[2] * rel[0] + m[5] * rel[1] + m[8] * rel[2];
  return [w / 2 + (cx / cz) * f * half - 0.5, half - (cy / cz) * f * half - 0.5];
}

/** Scale of the picture at depth d around (px, py) between two poses: how much a small cross there grows. */
export function scaleAt(a: CameraPose, b: CameraPose, px: number, py: number, d: number, w: number, h: number, r = 10): number {
  const span = (p: CameraPose) => {
    const l = projectPoint(p, px - r, py, d, w, h);
    const rr = projectPoint(p, px + r, py, d, w, h);
    const t = projectPoint(p, px, py - r, d, w, h);
    const bt = projectPoint(p, px, py + r, d, w, h);
    return Math.hypot(rr[0] - l[0], rr[1] - l[1]) + Math.hypot(bt[0] - t[0], bt[1] - t[1]);
  };
  return span(b) / span(a);
}
