import { describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { MotionBrush } from '../../packages/nodes/src/i2v/motion/MotionBrush.js';
import { parallaxV2Bundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { BRUSH_FEATHER, BRUSH_INSET } from '../../packages/nodes/src/i2v/parallax/motion/brush-fields.js';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { MaskValue } from '../../packages/nodes/src/values/mask.js';
import type { BrushStroke, MotionRegionValue } from '../../packages/nodes/src/values/motion-region.js';
import type { LatentValue } from '../../packages/nodes/src/values/latent.js';
import { denoiseV2 } from './helpers/v2-run.js';
import { luma, regionShift, type Rect } from './helpers/motion.js';
import { syntheticScene } from './helpers/synthetic-scene.js';

/** Motion Brush: painted motion moves the content inside the mask its way, and nothing outside the mask. */
const W = 320;
const H = 192;
const scene = syntheticScene({ width: W, height: H, bgDepth: 10, subjectDepth: 1.5 });

function rectMask(r: Rect): MaskValue {
  const m = new Float32Array(W * H);
  for (let y = r[1]; y < r[3]; y++) m.fill(1, y * W + r[0], y * W + r[2]);
  return new MaskValue(W, H, m);
}

async function frames(brushes: BrushStroke[] | undefined, which: number[], prompt = 'static camera', framing: 'auto' | 'beyond' = 'auto') {
  const { video } = await denoiseV2(scene, prompt, { frames: 96, ...(brushes ? { brushes } : {}), framing });
  const v = await parallaxV2Bundle.vae.decode(createTestCtx(createServices([])), video as LatentValue);
  return Promise.all(which.map((i) => v.source.frameAt(i)));
}

/** Pixels where the mask is 0 that differ between two frames. */
function changedOutside(a: Uint8Array, b: Uint8Array, mask: MaskValue): number {
  let n = 0;
  for (let i = 0; i < W * H; i++) {
    if (mask.data[i] > 0) continue;
    if (a[i * 3] !== b[i * 3] || a[i * 3 + 1] !== b[i * 3 + 1] || a[i * 3 + 2] !== b[i * 3 + 2]) n++;
  }
  return n;
}

describe('Motion Brush', () => {
  const region: Rect = [8, 16, 112, 176];
  const mask = rectMask(region);
  const inner: Rect = [
    region[0] + BRUSH_INSET + BRUSH_FEATHER,
    region[1] + BRUSH_INSET + BRUSH_FEATHER,
    region[2] - BRUSH_INSET - BRUSH_FEATHER,
    region[3] - BRUSH_INSET - BRUSH_FEATHER,
  ];

  it('a drift to the right moves the inside of the mask right, and no pixel outside it', async () => {
    const stroke: BrushStroke = { mask, kind: 'drift', direction: [1, 0], strength: 1 };
    const [f0, f72] = await frames([stroke], [0, 72]);
    const [, plain72] = await frames(undefined, [0, 72]);
    expect(changedOutside(f72, plain72, mask)).toBe(0);
    const shift = regionShift(luma(f0, W, H), luma(f72, W, H), W, H, inner, 40);
    expect(shift.dx).toBeGreaterThan(4);
    expect(Math.abs(shift.dy)).toBeLessThan(1);
    // Without the brush nothing there moves (the camera holds).
    const still = regionShift(luma(f0, W, H), luma(plain72, W, H), W, H, inner, 8);
    expect(Math.abs(still.dx)).toBeLessThan(0.5);
  });

  it('flow upward moves the content up; every kind leaves the outside alone', async () => {
    const up: BrushStroke = { mask, kind: 'flow', direction: [0, -1], strength: 1 };
    const [f0, f72] = await frames([up], [0, 72]);
    const shift = regionShift(luma(f0, W, H), luma(f72, W, H), W, H, inner, 40);
    expect(shift.dy).toBeLessThan(-2);
    // Framing beyond: the poses do not depend on the motion's reach, so the plain run frames the same.
    const [, plain] = await frames(undefined, [0, 40], 'static camera', 'beyond');
    for (const kind of ['ripple', 'sway', 'hair'] as const) {
      const [, f40] = await frames([{ mask, kind, direction: [1, 0], strength: 1 }], [0, 40], 'static camera', 'beyond');
      expect(changedOutside(f40, plain, mask), kind).toBe(0);
      let inside = 0;
      for (let i = 0; i < W * H; i++) if (mask.data[i] > 0 && f40[i * 3] !== plain[i * 3]) inside++;
      expect(inside, kind).toBeGreaterThan(500);
    }
  });

  it('hair painted over the subject moves that part of the subject layer only', async () => {
    const [x0, y0, x1] = scene.subjectBox;
    const top: Rect = [x0 - 24, y0 - 24, x1 + 24, y0 + 40];
    const hair = rectMask(top);
    const [, f48] = await frames([{ mask: hair, kind: 'hair', direction: [1, 0], strength: 1 }], [0, 48], 'static camera', 'beyond');
    const [, plain] = await frames(undefined, [0, 48], 'static camera', 'beyond');
    expect(changedOutside(f48, plain, hair)).toBe(0);
    let moved = 0;
    for (let y = y0; y < y0 + 40; y++) for (let x = x0; x < x1; x++) if (f48[(y * W + x) * 3 + 1] !== plain[(y * W + x) * 3 + 1]) moved++;
    expect(moved).toBeGreaterThan(100);
  });

  it('chains: each brush node adds its stroke to the ones before', async () => {
    const ctx = createTestCtx(createServices([]));
    const run = async (regions: MotionRegionValue | undefined, params: Parameters<typeof MotionBrush.execute>[2]) =>
      ((await MotionBrush.execute(ctx, { mask, regions }, params)) as { regions: MotionRegionValue }).regions;
    const first = await run(undefined, { kind: 'flow', direction: 'down_left', strength: 0.5 });
    const both = await run(first, { kind: 'hair', direction: 'up', strength: 0.8 });
    expect(both.strokes.map((s) => s.kind)).toEqual(['flow', 'hair']);
    expect(both.strokes[0].direction[0]).toBeCloseTo(-Math.SQRT1_2);
    expect(both.strokes[1].direction).toEqual([0, -1]);
    expect(both.summary()).toContain('hair');
  });
});
