import type { CameraPose } from '../values/camera.js';

/**
 * Camera geometry shared by both camera methods (docs/models.md, "Camera control"):
 *  - models whose manifest declares camera conditioning get per-frame extrinsics and intrinsics;
 *  - other models start sampling from the conditioning latent and the noise warped along the path.
 * Conventions follow CameraPose: +x right, +y up, +z forward, R = Ry(yaw) Rx(pitch) Rz(roll) (camera to
 * world), yaw > 0 looks right, pitch > 0 looks up; the photo lies on the plane z = 1.
 */
export function cameraToWorld(pose: CameraPose): number[] {
  const rad = Math.PI / 180;
  const [yaw, pitch, roll] = pose.rotation.map((d) => d * rad);
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch), Math.cos(roll), Math.sin(roll)];
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rx = [1, 0, 0, 0, cp, sp, 0, -sp, cp];
  const rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  return mul3(mul3(ry, rx), rz);
}

function mul3(a: number[], b: number[]): number[] {
  const o = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) o[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j];
  return o;
}

function transpose3(a: number[]): number[] {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

function halfTan(fovDegrees: number): number {
  return Math.tan((Math.min(170, Math.max(1, fovDegrees)) * Math.PI) / 360);
}

/**
 * Per-frame camera conditioning, relative to the first frame's camera:
 * extrinsics [F, 12] = camera-to-world [R | t] row-major (first frame = identity),
 * intrinsics [F, 4] = fx, fy, cx, cy as fractions of the image width / height.
 */
export function cameraConditioning(
  poses: CameraPose[],
  width: number,
  height: number,
): { extrinsics: Float32Array; intrinsics: Float32Array } {
  const extrinsics = new Float32Array(poses.length * 12);
  const intrinsics = new Float32Array(poses.length * 4);
  const r0t = transpose3(cameraToWorld(poses[0]));
  const p0 = poses[0].position;
  poses.forEach((pose, f) => {
    const r = mul3(r0t, cameraToWorld(pose));
    const d = [pose.position[0] - p0[0], pose.position[1] - p0[1], pose.position[2] - p0[2]];
    const t = [0, 1, 2].map((i) => r0t[i * 3] * d[0] + r0t[i * 3 + 1] * d[1] + r0t[i * 3 + 2] * d[2]);
    for (let row = 0; row < 3; row++) {
      extrinsics.set([r[row * 3], r[row * 3 + 1], r[row * 3 + 2], t[row]], f * 12 + row * 4);
    }
    const fy = 0.5 / halfTan(pose.fov);
    intrinsics.set([(fy * height) / width, fy, 0.5, 0.5], f * 4);
  });
  return { extrinsics, intrinsics };
}

/**
 * Where each pixel of the view from `to` comes from in the view from `from`, through the photo plane
 * z = 1 (a planar homography). Returns source coordinates in pixels (x, y interleaved; possibly outside
 * the source), NaN where the ray misses the plane.
 */
export function warpMap(from: CameraPose, to: CameraPose, width: number, height: number): Float32Array {
  const map = new Float32Array(width * height * 2);
  const rTo = cameraToWorld(to);
  const rFromT = transpose3(cameraToWorld(from));
  const aspect = width / height;
  const tyTo = halfTan(to.fov);
  const txTo = tyTo * aspect;
  const tyFrom = halfTan(from.fov);
  const txFrom = tyFrom * aspect;
  const [px, py, pz] = to.position;
  const [fx0, fy0, fz0] = from.position;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cx = (2 * (x + 0.5)) / width - 1;
      const cy = 1 - (2 * (y + 0.5)) / height;
      const dc = [cx * txTo, cy * tyTo, 1];
      const dx = rTo[0] * dc[0] + rTo[1] * dc[1] + rTo[2];
      const dy = rTo[3] * dc[0] + rTo[4] * dc[1] + rTo[5];
      const dz = rTo[6] * dc[0] + rTo[7] * dc[1] + rTo[8];
      const i = (y * width + x) * 2;
      const t = dz > 1e-9 ? (1 - pz) / dz : -1;
      if (t <= 0) {
        map[i] = map[i + 1] = NaN;
        continue;
      }
      const wx = px + t * dx - fx0;
      const wy = py + t * dy - fy0;
      const wz = pz + t * dz - fz0;
      const sx = rFromT[0] * wx + rFromT[1] * wy + rFromT[2] * wz;
      const sy = rFromT[3] * wx + rFromT[4] * wy + rFromT[5] * wz;
      const sz = rFromT[6] * wx + rFromT[7] * wy + rFromT[8] * wz;
      if (sz <= 1e-9) {
        map[i] = map[i + 1] = NaN;
        continue;
      }
      const u = ((sx / sz / txFrom + 1) / 2) * width - 0.5;
      const v = ((1 - sy / sz / tyFrom) / 2) * height - 0.5;
      map[i] = u;
      map[i + 1] = v;
    }
  }
  return map;
}

/**
 * Warps a [C, h, w] plane stack through `map`. 'bilinear' for latents (pixels off the source clamp to
 * its edge); 'nearest' for noise, which stays exactly Gaussian, with `fill` (fresh noise) where the
 * source has nothing.
 */
export function warpPlanes(
  src: Float32Array,
  channels: number,
  width: number,
  height: number,
  map: Float32Array,
  mode: 'bilinear' | 'nearest',
  out: Float32Array,
  fill?: Float32Array,
): void {
  const plane = width * height;
  for (let p = 0; p < plane; p++) {
    let u = map[p * 2];
    let v = map[p * 2 + 1];
    const missing = Number.isNaN(u);
    const outside = missing || u < -0.5 || u > width - 0.5 || v < -0.5 || v > height - 0.5;
    if (outside && mode === 'nearest') {
      for (let c = 0; c < channels; c++) out[c * plane + p] = fill ? fill[c * plane + p] : 0;
      continue;
    }
    if (missing) {
      // The ray misses the photo plane (looking past the horizon): keep the pixel where it is.
      u = p % width;
      v = Math.floor(p / width);
    }
    if (mode === 'nearest') {
      const sx = Math.min(width - 1, Math.max(0, Math.round(u)));
      const sy = Math.min(height - 1, Math.max(0, Math.round(v)));
      for (let c = 0; c < channels; c++) out[c * plane + p] = src[c * plane + sy * width + sx];
      continue;
    }
    const cu = Math.min(width - 1, Math.max(0, u));
    const cv = Math.min(height - 1, Math.max(0, v));
    const x0 = Math.floor(cu);
    const y0 = Math.floor(cv);
    const x1 = Math.min(width - 1, x0 + 1);
    const y1 = Math.min(height - 1, y0 + 1);
    const ax = cu - x0;
    const ay = cv - y0;
    for (let c = 0; c < channels; c++) {
      const base = c * plane;
      const top = src[base + y0 * width + x0] * (1 - ax) + src[base + y0 * width + x1] * ax;
      const bottom = src[base + y1 * width + x0] * (1 - ax) + src[base + y1 * width + x1] * ax;
      out[base + p] = top * (1 - ay) + bottom * ay;
    }
  }
}
