import type { CameraPose } from '../../../values/camera.js';
import { BASE_FOV } from '../camera/presets.js';
import type { AmbientParams } from '../motion/motion-params.js';
import type { ParallaxScene } from '../scene.js';
import { stillAmbient } from '../motion/motion-params.js';
import { ambientReach } from './ambient-field.js';
import { ParallaxRenderer, type RenderOptions } from './renderer.js';

export interface PhotoFraming {
  poses: CameraPose[];
  /** The framing zoom of each frame (1: none). */
  zoom: number[];
  /** Share of the asked move kept (1: all of it; less when the photo had no room for it within MAX_ZOOM). */
  budget: number;
}

/** Longest stretch of framing work between two pauses, in ms (the server answers in between). */
const PAUSE_MS = 40;

/** The most the framing zooms in to make room for a move; beyond it the move itself is made smaller. */
export const MAX_FRAMING_ZOOM = 1.6;

/**
 * Frames a camera path inside the photo, as a careful editor's Ken Burns: no frame shows a pixel from
 * outside the photo (the synthesized margin), ambient motion at the frame's edge included.
 * 1. A path that backs away from the photo's own camera (pull out, zoom out) is moved forward as a whole, so
 *    its widest view is the photo itself: a pull out ends on the photo instead of revealing what it lacks.
 * 2. Each frame zooms in just enough to stay inside (the field of view narrows about the centre).
 * 3. If that would zoom in more than MAX_FRAMING_ZOOM, the whole move is scaled down until it fits: the
 *    amplitude budget comes from the photo's room.
 * 4. The zoom is smoothed over time (a widened maximum, then a moving average, never below what a frame
 *    needs), and eased in from frame 0, which keeps the photo's own view when the path starts there.
 */
export async function frameInsidePhoto(
  scene: ParallaxScene,
  wanted: CameraPose[],
  ambient: AmbientParams,
  seed: number,
  fps: number,
  options: RenderOptions = {},
  pause: () => Promise<void> = async () => {},
): Promise<PhotoFraming> {
  const n = wanted.length;
  // The camera's view only (ambient motion is bounded separately): no ambient fields to build.
  const probe = new ParallaxRenderer(scene, scene.background, stillAmbient(), seed, scene.width, scene.height, options);
  await pause();
  const { pad, width: W, height: H } = scene;
  /**
   * How far the frame reaches past the photo, in pixels (negative: inside by that much): the camera's view
   * along the frame's border, plus a bound of how far ambient motion can carry content there at time t.
   */
  const overshoot = (pose: CameraPose, t: number, k: number, reach: number) => {
    const e = probe.borderExtent({ ...pose, fov: pose.fov * k }, t, 16, false);
    return Math.max(pad - e.minX, pad - e.minY, e.maxX - (pad + W - 1), e.maxY - (pad + H - 1)) + reach;
  };
  // A pixel of room: frames interpolate the border from a coarse grid, and the border is checked every 16 px.
  const MARGIN = 1;
  /** The largest field-of-view factor k <= 1 that keeps the frame inside (secant steps from the last frame's answer). */
  const need = (pose: CameraPose, t: number, hint: number): number => {
    const reach = ambientReach(scene, ambient, t);
    const o1 = overshoot(pose, t, 1, reach);
    if (o1 <= 1e-3) return 1;
    const f = (k: number) => overshoot(pose, t, k, reach) + MARGIN;
    let k0 = 1;
    let f0 = o1 + MARGIN;
    let k1 = Math.max(0.2, Math.min(hint, 1 - f0 / (Math.min(W, H) / 2)));
    let f1 = f(k1);
    for (let i = 0; i < 8 && !(f1 <= 0 && f1 > -0.05); i++) {
      const k2 = f1 === f0 ? k1 - 0.01 : k1 - (f1 * (k1 - k0)) / (f1 - f0);
      k0 = k1;
      f0 = f1;
      k1 = Math.max(0.2, Math.min(1, k2));
      f1 = f(k1);
    }
    while (f1 > 0 && k1 > 0.2) f1 = f((k1 = Math.max(0.2, k1 * 0.995)));
    return k1;
  };
  /**
   * Each frame's need (every `every`-th frame and the last; the others 1). A long clip takes seconds of
   * this: `pause` is awaited every few frames (a turn of the event loop, and where an interrupt lands).
   */
  const needs = async (poses: CameraPose[], every = 1) => {
    const out = new Array<number>(n).fill(1);
    let hint = 1;
    let since = performance.now();
    for (let i = 0; i < n; i += every) {
      out[i] = hint = need(poses[i], i / fps, hint);
      if (performance.now() - since > PAUSE_MS) {
        await pause();
        since = performance.now();
      }
    }
    if ((n - 1) % every) out[n - 1] = need(poses[n - 1], (n - 1) / fps, hint);
    return out;
  };

  const base = normalize(wanted);
  let poses = base;
  let k = await needs(poses);
  let budget = 1;
  if (Math.min(...k) < 1 / MAX_FRAMING_ZOOM) {
    // Scale the move down (checking every few frames: about 90 of them on a long clip) until the photo has room for it.
    const every = Math.max(4, Math.round(n / 90));
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 8; i++) {
      const mid = (lo + hi) / 2;
      if (Math.min(...(await needs(scaled(base, mid), every))) >= 1 / MAX_FRAMING_ZOOM) lo = mid;
      else hi = mid;
    }
    budget = lo;
    poses = scaled(base, budget);
    k = await needs(poses);
  }
  const zoom = smoothZoom(
    k.map((v) => 1 / v),
    Math.max(1, Math.round(n / 12)),
  );
  return { poses: poses.map((p, i) => (zoom[i] === 1 ? p : { ...p, fov: p.fov / zoom[i] })), zoom, budget };
}

/** The path moved forward so it never backs away from the photo's camera, and zoomed so its widest view is the photo's. */
function normalize(poses: CameraPose[]): CameraPose[] {
  const zMin = Math.min(0, ...poses.map((p) => p.position[2]));
  const fovMax = Math.max(BASE_FOV, ...poses.map((p) => p.fov));
  if (zMin === 0 && fovMax === BASE_FOV) return poses;
  return poses.map((p) => ({
    position: [p.position[0], p.position[1], p.position[2] - zMin],
    rotation: [...p.rotation],
    fov: p.fov * (BASE_FOV / fovMax),
  }));
}

/** A share a of each pose's change from the photo's camera. */
function scaled(poses: CameraPose[], a: number): CameraPose[] {
  return poses.map((p) => ({
    position: [p.position[0] * a, p.position[1] * a, p.position[2] * a],
    rotation: [p.rotation[0] * a, p.rotation[1] * a, p.rotation[2] * a],
    fov: BASE_FOV * (p.fov / BASE_FOV) ** a,
  }));
}

/**
 * Zoom over time that is at least each frame's need and changes smoothly: the maximum over ±r frames, then
 * its average over ±r (each average covers only maxima that include the frame, so it never drops below the
 * frame's need), eased in over the first r frames from the first frame's own need.
 */
function smoothZoom(z: number[], r: number): number[] {
  if (z.every((v) => v === 1)) return z;
  const widened = z.map((_, i) => Math.max(...z.slice(Math.max(0, i - r), i + r + 1)));
  return widened.map((_, i) => {
    const part = widened.slice(Math.max(0, i - r), i + r + 1);
    const avg = part.reduce((a, b) => a + b, 0) / part.length;
    const ramp = Math.min(1, i / r);
    const eased = ramp * ramp * (3 - 2 * ramp);
    return Math.max(z[i], z[0] + (avg - z[0]) * eased);
  });
}
