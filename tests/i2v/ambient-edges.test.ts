import { describe, expect, it } from 'vitest';
import { stillAmbient } from '../../packages/nodes/src/i2v/parallax/motion/motion-params.js';
import { AmbientField } from '../../packages/nodes/src/i2v/parallax/render/ambient-field.js';
import { REGION_NAMES, type ParallaxScene } from '../../packages/nodes/src/i2v/parallax/scene.js';

/** An all-sky scene: every point drifts with the clouds. */
function skyScene(width: number, height: number, skyUntilX = Infinity): ParallaxScene {
  const q = 4;
  const pad = 96;
  const qw = Math.ceil((width + 2 * pad) / q);
  const qh = Math.ceil((height + 2 * pad) / q);
  const masks = new Float32Array(REGION_NAMES.length * qw * qh);
  const sky = REGION_NAMES.indexOf('sky') * qw * qh;
  for (let y = 0; y < qh; y++) for (let x = 0; x < qw; x++) masks[sky + y * qw + x] = x * q - pad < skyUntilX ? 1 : 0;
  return {
    width,
    height,
    pad,
    q,
    qw,
    qh,
    masks,
    depth: new Float32Array(qw * qh).fill(3),
    detail: new Float32Array(qw * qh),
  } as unknown as ParallaxScene;
}

/** Strong clouds drifting along x, over a 6 s clip. */
function cloudsDrifting(dirX: number) {
  const amb = stillAmbient();
  amb.env.clouds = 1.5;
  amb.dir.clouds = [dirX, 0];
  amb.duration = 6;
  return amb;
}

describe('cloud drift near the photo edge', () => {
  it('never pulls content from beyond the photo into it, however long the drift has run', () => {
    const width = 640;
    const height = 360;
    for (const dirX of [-1, 1]) {
      const field = new AmbientField(skyScene(width, height), cloudsDrifting(dirX), 7);
      const out = new Float64Array(3);
      let moved = 0;
      for (const t of [1, 3, 6]) {
        for (let x = 0; x < width; x += 7) {
          field.displace(x, height / 2, 3, t, false, out);
          const source = x + out[0];
          // The steady drift stays inside; the small turbulence term may add a few pixels at most.
          expect(source).toBeGreaterThan(-4);
          expect(source).toBeLessThan(width - 1 + 4);
          if (Math.abs(out[0]) > 5) moved++;
        }
      }
      expect(moved).toBeGreaterThan(100); // away from the edges the clouds really drift
    }
  });
});

describe('cloud drift at the edge of the sky', () => {
  it('eases out over a wide band instead of tearing where the sky mask ends', () => {
    const width = 1280;
    const height = 720;
    // Sky on the left half only, with a hard edge (a hazy photo's mask can end like this).
    const field = new AmbientField(skyScene(width, height, 640), cloudsDrifting(-1), 3);
    const out = new Float64Array(3);
    const sourceAt = (x: number) => {
      field.displace(x, 200, 3, 6, false, out);
      return x + out[0];
    };
    let steepest = 0;
    let largest = 0;
    for (let x = 300; x < 1000; x += 2) {
      steepest = Math.max(steepest, Math.abs(sourceAt(x + 2) - sourceAt(x) - 2) / 2);
      largest = Math.max(largest, Math.abs(sourceAt(x) - x));
    }
    expect(largest).toBeGreaterThan(40); // the clouds do drift
    expect(steepest).toBeLessThan(0.9); // the picture never folds over itself: no seam, no tear
  });
});

describe('cloud drift toward the horizon', () => {
  it('slows to nothing at the skyline, so the land along it is never dragged with the clouds', () => {
    const width = 1280;
    const height = 720;
    const scene = { ...skyScene(width, height), horizon: 0.6 } as ParallaxScene;
    const field = new AmbientField(scene, cloudsDrifting(-1), 3);
    const out = new Float64Array(3);
    const driftAt = (y: number) => {
      field.displace(640, y, 3, 6, false, out);
      return Math.abs(out[0]);
    };
    expect(driftAt(100)).toBeGreaterThan(40); // high in the sky: full drift
    expect(driftAt(0.6 * height - 2)).toBeLessThan(3); // at the skyline: only the faint turbulence
    expect(driftAt(0.6 * height - 40)).toBeLessThan(driftAt(0.6 * height - 120)); // easing in between
  });
});

describe('waves', () => {
  it('never fold the water: the source map stays monotonic however strong the prompt', () => {
    const width = 640;
    const height = 360;
    const q = 4;
    const pad = 96;
    const qw = Math.ceil((width + 2 * pad) / q);
    const qh = Math.ceil((height + 2 * pad) / q);
    const masks = new Float32Array(REGION_NAMES.length * qw * qh);
    masks.fill(1, REGION_NAMES.indexOf('water') * qw * qh, (REGION_NAMES.indexOf('water') + 1) * qw * qh);
    const scene = {
      width,
      height,
      pad,
      q,
      qw,
      qh,
      masks,
      horizon: 0,
      depth: new Float32Array(qw * qh).fill(3),
      detail: new Float32Array(qw * qh),
    } as unknown as ParallaxScene;
    const amb = stillAmbient();
    amb.env.waves = 1.5;
    const out = new Float64Array(3);
    for (const near of [1, 2, 8]) {
      const field = new AmbientField(scene, amb, 5);
      let prev = -Infinity;
      for (let y = 20; y < 340; y += 0.5) {
        field.displace(320, y, near, 3, false, out);
        const source = y + out[1];
        expect(source).toBeGreaterThan(prev); // each row shows content below the previous row's: no fold, no crease
        prev = source;
      }
    }
  });
});
