import type { CameraPose } from '../../../values/camera.js';

export interface CameraKeyframe {
  t: number;
  position?: [number, number, number];
  rotation?: [number, number, number];
  fov?: number;
}

/**
 * Interpolates keyframes with Catmull-Rom per component (smooth velocity through the keys); before the
 * first and after the last key the pose holds. Missing components hold the previous key's value.
 */
export function sampleKeyframes(keys: CameraKeyframe[], t: number, base: CameraPose): CameraPose {
  const full = completeKeys(keys, base);
  if (full.length === 0) return base;
  const vec = (k: (typeof full)[number]) => [...k.position, ...k.rotation, k.fov];
  if (t <= full[0].t) return toPose(vec(full[0]));
  if (t >= full[full.length - 1].t) return toPose(vec(full[full.length - 1]));
  let i = 0;
  while (i < full.length - 2 && t > full[i + 1].t) i++;
  const k1 = full[i];
  const k2 = full[i + 1];
  const k0 = full[Math.max(0, i - 1)];
  const k3 = full[Math.min(full.length - 1, i + 2)];
  const u = (t - k1.t) / (k2.t - k1.t || 1);
  const p0 = vec(k0);
  const p1 = vec(k1);
  const p2 = vec(k2);
  const p3 = vec(k3);
  return toPose(p1.map((_, j) => catmullRom(p0[j], p1[j], p2[j], p3[j], u)));
}

function catmullRom(p0: number, p1: number, p2: number, p3: number, u: number): number {
  const u2 = u * u;
  const u3 = u2 * u;
  return 0.5 * (2 * p1 + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u2 + (-p0 + 3 * p1 - 3 * p2 + p3) * u3);
}

function completeKeys(keys: CameraKeyframe[], base: CameraPose) {
  const sorted = [...keys].sort((a, b) => a.t - b.t);
  let prev = { position: base.position, rotation: base.rotation, fov: base.fov };
  return sorted.map((k) => {
    prev = { position: k.position ?? prev.position, rotation: k.rotation ?? prev.rotation, fov: k.fov ?? prev.fov };
    return { t: k.t, ...prev };
  });
}

function toPose(v: number[]): CameraPose {
  return { position: [v[0], v[1], v[2]], rotation: [v[3], v[4], v[5]], fov: v[6] };
}
