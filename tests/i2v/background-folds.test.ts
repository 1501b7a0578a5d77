import { describe, expect, it } from 'vitest';
import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import { CameraPathSchema, samplePath } from '../../packages/nodes/src/i2v/parallax/camera/path.js';
import { stillAmbient, syntheticScene } from './helpers/synthetic-scene.js';

describe('the background layer under a strong camera move', () => {
  it('bends through a sharp depth step instead of folding over itself', () => {
    const W = 320;
    const H = 192;
    const scene = syntheticScene({ width: W, height: H, bgDepth: 25 });
    // A near blob (depth 1.2) in a far field (25): a depth estimate can step like this at an object's edge.
    for (let y = 0; y < scene.qh; y++) {
      for (let x = 0; x < scene.qw; x++) {
        if (Math.hypot(x - scene.qw * 0.35, y - scene.qh * 0.7) < 6) scene.depth[y * scene.qw + x] = 1.2;
      }
    }
    const renderer = new ParallaxRenderer(scene, scene.background, stillAmbient(), 1) as unknown as {
      sourceExtent: ParallaxRenderer['sourceExtent'];
      rawX: Float32Array;
      rawY: Float32Array;
      gw: number;
      gh: number;
    };
    const path = CameraPathSchema.parse({ moves: [{ type: 'push_in', intensity: 1, easing: 'linear' }] });
    renderer.sourceExtent(samplePath(path, 1), 1);
    const { rawX, rawY, gw, gh } = renderer;
    let least = Infinity;
    for (let gy = 0; gy < gh - 1; gy++) {
      for (let gx = 0; gx < gw - 1; gx++) {
        const k = gy * gw + gx;
        const j = (rawX[k + 1] - rawX[k]) * (rawY[k + gw] - rawY[k]) - (rawY[k + 1] - rawY[k]) * (rawX[k + gw] - rawX[k]);
        least = Math.min(least, j);
      }
    }
    // The source map's Jacobian stays positive: every grid cell maps forward, none turns inside out.
    expect(least).toBeGreaterThan(0);
  });
});
