import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import type { ParallaxScene } from '../../packages/nodes/src/i2v/parallax/scene.js';
import type { VideoPlan } from '../../packages/nodes/src/i2v/parallax/video-source.js';

/**
 * How straight the photo's line segments come out in a frame: points along each segment (photo pixels) are
 * found in the frame by inverting the renderer's own background sampling grid of that frame (Newton steps on the
 * grid interpolated as the renderer interpolates it), then a straight line is fitted to them (total least
 * squares) and the largest distance from it is the segment's deviation, in frame pixels.
 */

type Internals = {
  computeGrid(pose: unknown, t: number): boolean;
  rawX: Float32Array;
  rawY: Float32Array;
  gw: number;
  gh: number;
  G: number;
};

/** Frame pixel (centre coordinates) -> photo pixel, through the frame's background grid. */
function frameToPhoto(scene: ParallaxScene, plan: VideoPlan, frame: number) {
  const r = new ParallaxRenderer(
    scene,
    scene.background,
    plan.ambient,
    plan.seed,
    scene.width,
    scene.height,
    plan.render,
  ) as unknown as Internals;
  r.computeGrid(plan.poses[frame], frame / plan.fps);
  const { G, gw, gh, rawX, rawY } = r;
  const pad = scene.pad;
  return (X: number, Y: number): [number, number] => {
    const gx = Math.min(gw - 1.001, Math.max(0, X / G));
    const gy = Math.min(gh - 1.001, Math.max(0, Y / G));
    const x0 = Math.floor(gx);
    const y0 = Math.floor(gy);
    const fx = gx - x0;
    const fy = gy - y0;
    const i = y0 * gw + x0;
    const at = (a: Float32Array) => {
      const top = a[i] + (a[i + 1] - a[i]) * fx;
      const bot = a[i + gw] + (a[i + gw + 1] - a[i + gw]) * fx;
      return top + (bot - top) * fy;
    };
    return [at(rawX) - pad, at(rawY) - pad];
  };
}

/** Photo pixel -> frame pixel (undefined when it is not in the frame or the inversion does not converge). */
export function photoToFrame(scene: ParallaxScene, plan: VideoPlan, frame: number) {
  const map = frameToPhoto(scene, plan, frame);
  const { width: W, height: H } = scene;
  return (p: [number, number]): [number, number] | undefined => {
    let X = p[0];
    let Y = p[1];
    for (let it = 0; it < 16; it++) {
      const m = map(X, Y);
      const ex = m[0] - p[0];
      const ey = m[1] - p[1];
      if (Math.hypot(ex, ey) < 1e-4) break;
      const mx = map(X + 1, Y);
      const my = map(X, Y + 1);
      const a = mx[0] - m[0];
      const b = my[0] - m[0];
      const c = mx[1] - m[1];
      const d = my[1] - m[1];
      const det = a * d - b * c;
      X -= (d * ex - b * ey) / det;
      Y -= (-c * ex + a * ey) / det;
    }
    const m = map(X, Y);
    const inside = X >= 0 && Y >= 0 && X <= W - 1 && Y <= H - 1;
    return inside && Number.isFinite(X) && Number.isFinite(Y) && Math.hypot(m[0] - p[0], m[1] - p[1]) < 0.01 ? [X, Y] : undefined;
  };
}

/** Largest distance (px) of the points from their total-least-squares line. */
export function lineDeviation(pts: Array<[number, number]>): number {
  const n = pts.length;
  let mx = 0;
  let my = 0;
  for (const p of pts) {
    mx += p[0] / n;
    my += p[1] / n;
  }
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  const th = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const nx = -Math.sin(th);
  const ny = Math.cos(th);
  let worst = 0;
  for (const [x, y] of pts) worst = Math.max(worst, Math.abs((x - mx) * nx + (y - my) * ny));
  return worst;
}

export interface Straightness {
  /** Segments measured (long, in the background, enough of them in the frame). */
  n: number;
  median: number;
  p90: number;
  max: number;
}

/**
 * Deviation of the long background segments (at least `minLength` of the diagonal, at most 20 % of their points
 * on the subject's matte) in one frame. Points on the subject are left out (the subject is its own layer).
 */
export function straightness(scene: ParallaxScene, plan: VideoPlan, frame: number, segments: Float32Array, minLength = 0.06): Straightness {
  const { width: W, height: H } = scene;
  const toFrame = photoToFrame(scene, plan, frame);
  const devs: number[] = [];
  for (let k = 0; k < segments.length; k += 5) {
    const [x0, y0, x1, y1] = segments.subarray(k, k + 4);
    if (Math.hypot(x1 - x0, y1 - y0) < minLength * Math.hypot(W, H)) continue;
    const pts: Array<[number, number]> = [];
    let onSubject = 0;
    for (let j = 0; j <= 40; j++) {
      const f = 0.05 + 0.9 * (j / 40);
      // Pixel corner coordinates to pixel centres.
      const x = x0 + (x1 - x0) * f - 0.5;
      const y = y0 + (y1 - y0) * f - 0.5;
      const cx = Math.round(Math.min(W - 1, Math.max(0, x)));
      const cy = Math.round(Math.min(H - 1, Math.max(0, y)));
      if (scene.matte[cy * W + cx] > 127) {
        onSubject++;
        continue;
      }
      const q = toFrame([x, y]);
      if (q) pts.push(q);
    }
    if (onSubject > 0.2 * 41 || pts.length < 12) continue;
    devs.push(lineDeviation(pts));
  }
  devs.sort((a, b) => a - b);
  const pct = (f: number) => (devs.length ? devs[Math.min(devs.length - 1, Math.floor(f * devs.length))] : 0);
  return { n: devs.length, median: pct(0.5), p90: pct(0.9), max: devs.length ? devs[devs.length - 1] : 0 };
}

export const fmt = (s: Straightness) =>
  `n ${s.n}, median ${s.median.toFixed(2)} px, p90 ${s.p90.toFixed(2)} px, max ${s.max.toFixed(2)} px`;
