import { describe, expect, it } from 'vitest';
import { CAMERA_COMMANDS, type CameraCommand } from '../../packages/nodes/src/i2v/parallax/camera/commands.js';
import { CameraPathSchema, samplePath } from '../../packages/nodes/src/i2v/parallax/camera/path.js';
import { BASE_FOV } from '../../packages/nodes/src/i2v/parallax/camera/presets.js';
import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import { fitPoses } from '../../packages/nodes/src/i2v/parallax/render/safe-framing.js';
import { CameraPath } from '../../packages/nodes/src/i2v/camera/CameraPath.js';
import { CameraValue } from '../../packages/nodes/src/values/camera.js';
import { createServices } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../../packages/nodes/src/test-support/ctx.js';
import { luma, regionShift, type Rect } from './helpers/motion.js';
import { stillAmbient, syntheticScene } from './helpers/synthetic-scene.js';

const W = 320;
const H = 192;
/** Far background at depth 10, a subject plane at depth 1.5. */
const scene = syntheticScene({ width: W, height: H, bgDepth: 10, subjectDepth: 1.5 });
const renderer = new ParallaxRenderer(scene, scene.background, stillAmbient(), 1);
const FG: Rect = [132, 66, 188, 126]; // inside the subject square (122..198 × 58..134)
const BG_LEFT: Rect = [12, 20, 80, 60];
const BG_RIGHT: Rect = [240, 20, 308, 60];

function spec(type: CameraCommand, intensity = 0.6) {
  return CameraPathSchema.parse({ moves: [{ type, intensity, easing: 'linear' }] });
}
/** Content shift of a region between frame 0 and the frame at t = 1. */
function shifts(type: CameraCommand, intensity = 0.6) {
  const s = spec(type, intensity);
  const a = luma(renderer.render(samplePath(s, 0), 0), W, H);
  const b = luma(renderer.render(samplePath(s, 1), 1), W, H);
  return {
    fg: regionShift(a, b, W, H, FG, 30),
    left: regionShift(a, b, W, H, BG_LEFT, 30),
    right: regionShift(a, b, W, H, BG_RIGHT, 30),
  };
}

describe('camera presets move the picture their way', () => {
  // Camera moves one way, content the other: pan left → the picture slides right.
  it.each([
    ['pan_left', 1, 0],
    ['pan_right', -1, 0],
    ['tilt_up', 0, 1],
    ['tilt_down', 0, -1],
    ['truck_left', 1, 0],
    ['truck_right', -1, 0],
    ['pedestal_up', 0, 1],
    ['pedestal_down', 0, -1],
    ['crane_up', 0, 1],
    ['crane_down', 0, -1],
  ] as const)('%s', (type, sx, sy) => {
    const { fg, left } = shifts(type);
    const main = sx !== 0 ? fg.dx * sx : fg.dy * sy;
    expect(main).toBeGreaterThan(2);
    const cross = sx !== 0 ? Math.abs(fg.dy) : Math.abs(fg.dx);
    expect(cross).toBeLessThan(Math.max(1, main * 0.25));
    if (type.startsWith('pan') || type.startsWith('tilt')) {
      // A rotation moves near and far alike (no parallax).
      const bgMain = sx !== 0 ? left.dx * sx : left.dy * sy;
      expect(bgMain).toBeGreaterThan(main * 0.7);
    }
  });

  it.each(['zoom_in', 'push_in'] as const)('%s spreads the picture outwards', (type) => {
    const { left, right } = shifts(type);
    expect(left.dx).toBeLessThan(-0.5);
    expect(right.dx).toBeGreaterThan(0.5);
  });

  it.each(['zoom_out', 'pull_out'] as const)('%s draws the picture inwards', (type) => {
    const { left, right } = shifts(type, 0.3);
    expect(left.dx).toBeGreaterThan(0.3);
    expect(right.dx).toBeLessThan(-0.3);
  });

  it('orbit left: the near subject slides right, the far background left', () => {
    const { fg, left } = shifts('orbit_left');
    expect(fg.dx).toBeGreaterThan(2);
    expect(left.dx).toBeLessThan(-1);
    const r = shifts('orbit_right');
    expect(r.fg.dx).toBeLessThan(-2);
    expect(r.left.dx).toBeGreaterThan(1);
  });

  it('handheld wobbles a little and starts at the photo', () => {
    const s = spec('handheld', 1);
    const p0 = samplePath(s, 0);
    expect(p0.rotation).toEqual([0, 0, 0]);
    const a = luma(renderer.render(p0, 0), W, H);
    let moved = 0;
    for (const t of [0.2, 0.4, 0.6, 0.8]) {
      const d = regionShift(a, luma(renderer.render(samplePath(s, t), t), W, H), W, H, BG_LEFT, 10);
      moved = Math.max(moved, Math.hypot(d.dx, d.dy));
      expect(Math.hypot(d.dx, d.dy)).toBeLessThan(W * 0.03);
    }
    expect(moved).toBeGreaterThan(0.3);
  });

  it('static keeps every frame identical to the first', () => {
    const s = spec('static');
    const f0 = renderer.render(samplePath(s, 0), 0);
    const f1 = renderer.render(samplePath(s, 1), 1);
    expect(Buffer.from(f1).equals(Buffer.from(f0))).toBe(true);
  });
});

describe('parallax: near layers move more than far ones', () => {
  it.each([
    ['push_in', 'spread'],
    ['truck_left', 'dx'],
    ['truck_right', 'dx'],
    ['crane_up', 'dy'],
    ['crane_down', 'dy'],
  ] as const)('%s: subject displacement ≥ 1.3× background', (type, axis) => {
    const { fg, left, right } = shifts(type);
    if (axis === 'spread') {
      // Push in: measure how much each layer grows: a point off-centre in each layer.
      const s = spec(type);
      const a = luma(renderer.render(samplePath(s, 0), 0), W, H);
      const b = luma(renderer.render(samplePath(s, 1), 1), W, H);
      const fgEdge = regionShift(a, b, W, H, [126, 62, 150, 90], 30); // top-left of the subject
      const bgEdge = regionShift(a, b, W, H, [100, 10, 124, 38], 30); // background, farther from the centre
      const fgR = Math.hypot(fgEdge.dx, fgEdge.dy) / Math.hypot(138 - W / 2, 76 - H / 2);
      const bgR = Math.hypot(bgEdge.dx, bgEdge.dy) / Math.hypot(112 - W / 2, 24 - H / 2);
      expect(fgR).toBeGreaterThan(bgR * 1.3);
      return;
    }
    const f = Math.abs(fg[axis]);
    const bgv = Math.max(Math.abs(left[axis]), Math.abs(right[axis]));
    expect(f).toBeGreaterThan(1);
    expect(f).toBeGreaterThanOrEqual(1.3 * bgv);
  });
});

describe('no holes', () => {
  it.each(CAMERA_COMMANDS)('%s at full intensity samples only inside the completed background', (type) => {
    const s = spec(type, 1);
    for (const t of [0.5, 1]) {
      const e = renderer.sourceExtent(samplePath(s, t), t);
      expect(e.minX).toBeGreaterThanOrEqual(0);
      expect(e.minY).toBeGreaterThanOrEqual(0);
      expect(e.maxX).toBeLessThanOrEqual(e.width - 1);
      expect(e.maxY).toBeLessThanOrEqual(e.height - 1);
    }
  });

  it('combined moves at full intensity are framed back inside (smoothly)', () => {
    const s = CameraPathSchema.parse({
      moves: ['pan_left', 'tilt_up', 'pull_out', 'zoom_out'].map((type) => ({ type, intensity: 1 })),
    });
    const wanted = Array.from({ length: 48 }, (_, i) => samplePath(s, i / 47));
    expect(renderer.sourceExtent(wanted[47], 1).minX).toBeLessThan(0); // would look past the margin
    const fitted = fitPoses(scene, wanted, stillAmbient());
    expect(fitted[0]).toEqual(wanted[0]);
    for (const [i, pose] of fitted.entries()) {
      const e = renderer.sourceExtent(pose, i / 47);
      expect(e.minX).toBeGreaterThanOrEqual(0);
      expect(e.minY).toBeGreaterThanOrEqual(0);
      expect(e.maxX).toBeLessThanOrEqual(e.width - 1);
      expect(e.maxY).toBeLessThanOrEqual(e.height - 1);
      if (i > 0) expect(Math.abs(pose.fov - fitted[i - 1].fov)).toBeLessThan(1.5);
    }
  });

  it('every pixel of a frame is written (no unfilled pixel)', () => {
    const s = CameraPathSchema.parse({
      moves: [
        { type: 'orbit_left', intensity: 1 },
        { type: 'crane_up', intensity: 1 },
      ],
    });
    const out = new Uint8Array(W * H * 3);
    for (let i = 0; i < out.length; i += 3) out.set([255, 0, 255], i); // magenta: the scene has none
    renderer.render(samplePath(s, 1), 1, out);
    let magenta = 0;
    for (let i = 0; i < out.length; i += 3) if (out[i] === 255 && out[i + 1] === 0 && out[i + 2] === 255) magenta++;
    expect(magenta).toBe(0);
  });
});

describe('camera path spec', () => {
  it('keyframes interpolate smoothly and hold outside their range', () => {
    const s = CameraPathSchema.parse({
      keyframes: [
        { t: 0.2, position: [0, 0, 0], fov: 40 },
        { t: 0.8, position: [0.2, 0, 0.1], rotation: [4, 0, 0], fov: 30 },
      ],
    });
    expect(samplePath(s, 0).position).toEqual([0, 0, 0]);
    expect(samplePath(s, 0).fov).toBe(40);
    const mid = samplePath(s, 0.5);
    expect(mid.position[0]).toBeCloseTo(0.1, 5);
    expect(mid.fov).toBeCloseTo(35, 5);
    expect(mid.rotation[0]).toBeCloseTo(2, 5);
    expect(samplePath(s, 1).position[0]).toBeCloseTo(0.2, 9);
    let prev = -1;
    for (let t = 0.2; t <= 0.8; t += 0.05) {
      const x = samplePath(s, t).position[0];
      expect(x).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = x;
    }
  });

  it('presets respect start, end and easing; several combine', () => {
    const s = CameraPathSchema.parse({
      moves: [
        { type: 'pan_right', intensity: 1, start: 0.5, end: 1, easing: 'linear' },
        { type: 'push_in', intensity: 1, start: 0, end: 0.5, easing: 'ease_in' },
      ],
    });
    expect(samplePath(s, 0.25).rotation[0]).toBe(0);
    expect(samplePath(s, 0.25).position[2]).toBeCloseTo(0.25 * 0.25, 9); // ease_in at half way: 0.25
    expect(samplePath(s, 0.75).rotation[0]).toBeCloseTo(4, 9); // pan: 8° at full intensity, half way
    expect(samplePath(s, 1).position[2]).toBeCloseTo(0.25, 9);
    expect(samplePath(s, 0).fov).toBe(BASE_FOV);
  });

  it('rejects a move that ends before it starts, and unknown commands', () => {
    expect(CameraPathSchema.safeParse({ moves: [{ type: 'pan_left', start: 0.8, end: 0.2 }] }).success).toBe(false);
    expect(CameraPathSchema.safeParse({ moves: [{ type: 'barrel_roll' }] }).success).toBe(false);
    expect(CameraPathSchema.safeParse({ moves: [{ type: 'pan_left', intensity: 3 }] }).success).toBe(false);
  });

  it('the CameraPath node outputs a CAMERA that samples its path', async () => {
    const ctx = createTestCtx(createServices([]));
    const out = await runNode(CameraPath, ctx, {}, { path: { moves: [{ type: 'tilt_up', intensity: 1, easing: 'linear' }] } });
    expect(out.camera).toBeInstanceOf(CameraValue);
    const poses = (out.camera as CameraValue).poses(3);
    expect(poses[0].rotation[1]).toBe(0);
    expect(poses[2].rotation[1]).toBeCloseTo(7, 9);
    expect(ctx.uis[0].text).toContain('tilt up');
  });
});
