import type { CameraPose } from '../../../values/camera.js';
import { BASE_FOV } from '../camera/presets.js';

/** Focal length (in half-heights) of the photo's camera. */
export const F0 = 1 / Math.tan(((BASE_FOV / 2) * Math.PI) / 180);

/** Camera-to-world rotation (yaw right, pitch up, roll) as a row-major 3×3, plus focal length and position. */
export interface ViewRays {
  m: Float64Array;
  f: number;
  c: [number, number, number];
}

export function viewRays(pose: CameraPose): ViewRays {
  const rad = Math.PI / 180;
  const [yaw, pitch, roll] = pose.rotation.map((d) => d * rad);
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  const cr = Math.cos(roll);
  const sr = Math.sin(roll);
  // R = Ry(yaw) · Rx(pitch) · Rz(roll); forward (0,0,1) turns to +x for yaw > 0 and to +y for pitch > 0.
  const Ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const Rx = [1, 0, 0, 0, cp, sp, 0, -sp, cp];
  const Rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const m = new Float64Array(mul(mul(Ry, Rx), Rz));
  const fov = Math.min(120, Math.max(5, pose.fov));
  return { m, f: 1 / Math.tan(((fov / 2) * Math.PI) / 180), c: pose.position };
}

function mul(a: number[], b: number[]): number[] {
  const o = new Array(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) o[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j];
  return o;
}
