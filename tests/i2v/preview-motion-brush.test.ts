import { describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { prepareMotionPreview } from '../../packages/nodes/src/i2v/preview/motion-preview.js';
import { parallaxV2Bundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { BRUSH_FEATHER, BRUSH_INSET } from '../../packages/nodes/src/i2v/parallax/motion/brush-fields.js';
import { sceneToLatent } from '../../packages/nodes/src/i2v/parallax/scene.js';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { MaskValue } from '../../packages/nodes/src/values/mask.js';
import { MotionRegionValue, type BrushStroke } from '../../packages/nodes/src/values/motion-region.js';
import { luma, regionShift, type Rect } from './helpers/motion.js';
import { syntheticScene } from './helpers/synthetic-scene.js';

/**
 * The live motion preview plays Motion Brush regions as the run does: a Denoise whose motion_regions come from a
 * Motion Brush previews content moving inside the painted mask, and every pixel outside it as without the brush.
 */
const W = 320;
const H = 192;
const scene = syntheticScene({ width: W, height: H, bgDepth: 10, subjectDepth: 1.5 });
const latent = sceneToLatent(scene);
const region: Rect = [8, 16, 112, 176];
const mask = (() => {
  const m = new Float32Array(W * H);
  for (let y = region[1]; y < region[3]; y++) m.fill(1, y * W + region[0], y * W + region[2]);
  return new MaskValue(W, H, m);
})();

async function preview(strokes: BrushStroke[] | undefined, width = W, framing: 'auto' | 'beyond' = 'auto') {
  const ctx = createTestCtx(createServices([]));
  const positive = await parallaxV2Bundle.textEncoder.encode(ctx, 'static camera');
  return prepareMotionPreview(
    { model: parallaxV2Bundle.model, latent, positive, ...(strokes ? { motion_regions: new MotionRegionValue(strokes) } : {}) },
    { frames: 96, fps: 24, framing },
    { width },
  );
}

/** Pixels of two frames (w wide) that differ, inside and outside a box. */
function differences(a: Uint8Array, b: Uint8Array, w: number, h: number, box: Rect): { inside: number; outside: number } {
  let inside = 0;
  let outside = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      if (a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2]) continue;
      if (x >= box[0] && x < box[2] && y >= box[1] && y < box[3]) inside++;
      else outside++;
    }
  }
  return { inside, outside };
}

describe('live motion preview with Motion Brush', () => {
  it('moves the inside of the mask its way, and no pixel outside it', async () => {
    const drift: BrushStroke = { mask, kind: 'drift', direction: [1, 0], strength: 1 };
    const brushed = await preview([drift]);
    const plain = await preview(undefined);
    expect([brushed.width, brushed.height]).toEqual([W, H]);
    const f0 = brushed.render(0).slice();
    const f72 = brushed.render(72).slice();
    const p72 = plain.render(72).slice();
    const d = differences(f72, p72, W, H, region);
    expect(d.outside).toBe(0);
    expect(d.inside).toBeGreaterThan(1000);
    // The content inside drifts right, as in the run (v2-motion-brush.test.ts), where the plain preview holds.
    const inner: Rect = [
      region[0] + BRUSH_INSET + BRUSH_FEATHER,
      region[1] + BRUSH_INSET + BRUSH_FEATHER,
      region[2] - BRUSH_INSET - BRUSH_FEATHER,
      region[3] - BRUSH_INSET - BRUSH_FEATHER,
    ];
    expect(regionShift(luma(f0, W, H), luma(f72, W, H), W, H, inner, 40).dx).toBeGreaterThan(4);
    expect(Math.abs(regionShift(luma(plain.render(0).slice(), W, H), luma(p72, W, H), W, H, inner, 8).dx)).toBeLessThan(0.5);
    // The same mask with a weaker drift (its field is reused): another picture inside the mask only.
    const weaker = (await preview([{ ...drift, strength: 0.3 }])).render(72).slice();
    const w = differences(weaker, f72, W, H, region);
    expect(w.outside).toBe(0);
    expect(w.inside).toBeGreaterThan(500);
  });

  it('does the same at a smaller preview size, and a flow upward moves the content up', async () => {
    const w = W / 2;
    const h = H / 2;
    const up: BrushStroke = { mask, kind: 'flow', direction: [0, -1], strength: 1 };
    // Framing beyond: a flow's reach would make the framing keep more room (a slightly different camera for the
    // whole frame); beyond, the poses do not depend on it, so the frames differ only where the brush moves.
    const brushed = await preview([up], w, 'beyond');
    const plain = await preview(undefined, w, 'beyond');
    expect([brushed.width, brushed.height]).toEqual([w, h]);
    const f0 = brushed.render(0).slice();
    const f72 = brushed.render(72).slice();
    // The mask's box at half size, one pixel wider each way (preview pixels average 2×2 scene pixels).
    const box: Rect = [region[0] / 2 - 1, region[1] / 2 - 1, region[2] / 2 + 1, region[3] / 2 + 1];
    const d = differences(f72, plain.render(72).slice(), w, h, box);
    expect(d.outside).toBe(0);
    expect(d.inside).toBeGreaterThan(200);
    const inner: Rect = [box[0] + 18, box[1] + 18, box[2] - 18, box[3] - 18];
    expect(regionShift(luma(f0, w, h), luma(f72, w, h), w, h, inner, 20).dy).toBeLessThan(-1);
  });
});
