import type { CameraPose } from '../../../values/camera.js';
import type { AmbientParams } from '../motion/motion-params.js';
import type { ParallaxScene } from '../scene.js';
import { ParallaxRenderer } from './renderer.js';

/**
 * Keeps every frame's view inside the completed background: where a pose would look past the scene margin
 * (strong combined moves, keyframes), the field of view narrows just enough. The per-frame factor is
 * smoothed over time (a widened minimum, then an average) so the correction never pumps.
 */
export function fitPoses(scene: ParallaxScene, poses: CameraPose[], still: AmbientParams): CameraPose[] {
  const aspect = scene.width / scene.height;
  const probe = new ParallaxRenderer(scene, scene.background, still, 0, Math.max(8, Math.round(32 * aspect)), 32);
  // The full-size grid reaches a few pixels past the probe's corners: keep a small safety margin.
  const m = 4 + scene.height / 64;
  const inside = (pose: CameraPose, k: number) => {
    const e = probe.sourceExtent({ ...pose, fov: pose.fov * k }, 0);
    return e.minX >= m && e.minY >= m && e.maxX <= e.width - 1 - m && e.maxY <= e.height - 1 - m;
  };
  const need = poses.map((pose) => {
    if (inside(pose, 1)) return 1;
    let lo = 0.2;
    let hi = 1;
    for (let i = 0; i < 12; i++) {
      const mid = (lo + hi) / 2;
      if (inside(pose, mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  });
  if (need.every((k) => k === 1)) return poses;
  const n = need.length;
  const r = Math.max(1, Math.round(n / 12));
  const widened = need.map((_, i) => Math.min(...need.slice(Math.max(0, i - 2 * r), i + 2 * r + 1)));
  const smooth = widened.map((_, i) => {
    const part = widened.slice(Math.max(0, i - r), i + r + 1);
    return Math.min(need[i], part.reduce((a, b) => a + b, 0) / part.length);
  });
  return poses.map((p, i) => ({ ...p, fov: p.fov * smooth[i] }));
}
