import { describe, expect, it } from 'vitest';
import { cameraConditioning, warpMap, warpPlanes } from '../../packages/nodes/src/onnx/camera.js';
import { gaussian } from '../../packages/nodes/src/onnx/sampling/noise.js';
import type { CameraPose } from '../../packages/nodes/src/values/camera.js';

const still: CameraPose = { position: [0, 0, 0], rotation: [0, 0, 0], fov: 50 };
const W = 40;
const H = 30;

function at(map: Float32Array, x: number, y: number) {
  const i = (y * W + x) * 2;
  return [map[i], map[i + 1]];
}

describe('camera warp through the photo plane', () => {
  it('is the identity for an unchanged camera', () => {
    const map = warpMap(still, still, W, H);
    for (const [x, y] of [
      [0, 0],
      [13, 7],
      [39, 29],
    ]) {
      const [u, v] = at(map, x, y);
      expect(u).toBeCloseTo(x, 4);
      expect(v).toBeCloseTo(y, 4);
    }
  });

  it('a pan right by yaw shows, at the centre, what lay tan(yaw) to the right', () => {
    const yaw = 10;
    const map = warpMap(still, { ...still, rotation: [yaw, 0, 0] }, W, H);
    const halfTanX = Math.tan((25 * Math.PI) / 180) * (W / H);
    const expected = (0.5 + Math.tan((yaw * Math.PI) / 180) / (2 * halfTanX)) * W - 0.5;
    // The pixel centre nearest the middle of a 40 px row is 19.5 -> use the exact ray of pixel x = 19 and 20.
    const [u19] = at(map, 19, 15);
    const [u20] = at(map, 20, 15);
    expect((u19 + u20) / 2).toBeCloseTo(expected, 2);
  });

  it('a tilt up shows what lay above (smaller row index)', () => {
    const map = warpMap(still, { ...still, rotation: [0, 8, 0] }, W, H);
    expect(at(map, 20, 15)[1]).toBeLessThan(15 - 2);
  });

  it('moving halfway to the photo plane magnifies it twice about the centre', () => {
    const map = warpMap(still, { ...still, position: [0, 0, 0.5] }, W, H);
    const [u, v] = at(map, 0, 0);
    // Pixel (0, 0) has its centre 19.5 px left of and 14.5 px above the middle (20, 15); halved, the source
    // point is (10.25, 7.75) in continuous coordinates, i.e. pixel index (9.75, 7.25).
    expect(u).toBeCloseTo(9.75, 4);
    expect(v).toBeCloseTo(7.25, 4);
  });

  it('nearest warping of noise only moves or refills values, so it stays standard normal', () => {
    const C = 4;
    const noise = gaussian(3, 0, C * W * H);
    const fresh = gaussian(3, 1, C * W * H);
    const out = new Float32Array(noise.length);
    warpPlanes(noise, C, W, H, warpMap(still, { ...still, rotation: [15, 5, 3], position: [0.1, 0, 0.2] }, W, H), 'nearest', out, fresh);
    const pool = new Set([...noise, ...fresh]);
    for (const v of out) expect(pool.has(v)).toBe(true);
  });

  it('bilinear warping moves a bright spot by the expected number of pixels', () => {
    const src = new Float32Array(W * H);
    src[15 * W + 24] = 1; // a spot 4.5 px right of centre
    const yaw = 5;
    const map = warpMap(still, { ...still, rotation: [yaw, 0, 0] }, W, H);
    const out = new Float32Array(W * H);
    warpPlanes(src, 1, W, H, map, 'bilinear', out);
    let best = 0;
    for (let x = 0; x < W; x++) if (out[15 * W + x] > out[15 * W + best]) best = x;
    // Looking right moves content left: about tan(5 deg) / (2 tan(25 deg) * 4/3) * 40 = 2.8 px.
    expect(best).toBeGreaterThanOrEqual(20);
    expect(best).toBeLessThanOrEqual(22);
  });
});

describe('camera conditioning tensors', () => {
  it('are relative to the first frame: identity, then the pose change', () => {
    const poses: CameraPose[] = [
      { position: [0.2, 0, 0], rotation: [5, 0, 0], fov: 50 },
      { position: [0.2, 0, 0.5], rotation: [35, 0, 0], fov: 50 },
    ];
    const { extrinsics, intrinsics } = cameraConditioning(poses, 64, 48);
    expect([...extrinsics.slice(0, 12)].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect(extrinsics[12]).toBeCloseTo(c, 6); // R[0][0]
    expect(extrinsics[14]).toBeCloseTo(s, 6); // R[0][2]: forward turned right
    // translation 0.5 forward in world, seen from a camera turned 5 deg right
    expect(extrinsics[12 + 11]).toBeCloseTo(0.5 * Math.cos((5 * Math.PI) / 180), 6);
    const fy = 0.5 / Math.tan((25 * Math.PI) / 180);
    expect([...intrinsics.slice(0, 4)].map((v) => +v.toFixed(5))).toEqual([+(fy * 0.75).toFixed(5), +fy.toFixed(5), 0.5, 0.5]);
  });
});
