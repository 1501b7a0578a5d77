import { describe, expect, it } from 'vitest';
import { BASE_FOV } from '../camera/presets.js';
import { stillAmbient } from '../motion/motion-params.js';
import type { ParallaxScene } from '../scene.js';
import { RenderPool } from './render-pool.js';
import { ParallaxRenderer } from './renderer.js';

/** A small scene with planes over the size sent in their own messages (65 536 bytes), a subject and depth. */
function scene(width: number, height: number, pad: number): ParallaxScene {
  const pw = width + 2 * pad;
  const ph = height + 2 * pad;
  const q = 4;
  const qw = pw / q;
  const qh = ph / q;
  const background = Uint8Array.from({ length: pw * ph * 3 }, (_, i) => (i * 7 + ((i / (pw * 3)) | 0) * 13) & 255);
  const rgb = new Uint8Array(width * height * 3);
  const matte = new Uint8Array(width * height);
  const box: [number, number, number, number] = [width / 4, height / 4, width / 2, (3 * height) / 4];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * width + x;
      const inside = x >= box[0] && x < box[2] && y >= box[1] && y < box[3];
      matte[o] = inside ? 255 : 0;
      rgb.set(inside ? [220, 40, 40] : background.subarray(((y + pad) * pw + x + pad) * 3, ((y + pad) * pw + x + pad) * 3 + 3), o * 3);
    }
  }
  return {
    width,
    height,
    pad,
    q,
    qw,
    qh,
    rgb,
    matte,
    background,
    unknown: new Uint8Array(pw * ph),
    depth: Float32Array.from({ length: qw * qh }, (_, i) => 1.5 + Math.floor(i / qw) / qh),
    masks: new Float32Array(5 * qw * qh),
    detail: new Float32Array(qw * qh),
    subjectDepth: 1,
    subjectBox: box,
    horizon: 0.3,
    stats: {},
  };
}

const pose = (k: number) => ({
  position: [0.02 * k, 0, 0.03 * k] as [number, number, number],
  rotation: [0, 0, 0] as [number, number, number],
  fov: BASE_FOV,
});

describe('RenderPool', () => {
  it('draws the bytes the main thread draws, also into recycled buffers, with the scene sent plane by plane', async () => {
    const s = scene(256, 144, 48);
    const options = { variety: true, premultiplied: true };
    const here = new ParallaxRenderer(s, s.background, stillAmbient(), 3, s.width, s.height, options);
    const pool = new RenderPool(s, s.background, stillAmbient(), 3, 1, 5000, options);
    try {
      let last: Uint8Array | undefined;
      for (let k = 1; k <= 6; k++) {
        if (last) pool.recycle(last);
        const frame = await pool.render(k, pose(k), k / 24, 'i420');
        expect(Buffer.compare(frame, here.renderI420(pose(k), k / 24)), `frame ${k}`).toBe(0);
        // The buffer handed back went to the worker (detached here) and was drawn into there.
        if (last) expect(last.byteLength).toBe(0);
        last = frame;
      }
      const rgb = await pool.render(9, pose(3), 0.5, 'rgb');
      expect(Buffer.compare(rgb, here.render(pose(3), 0.5))).toBe(0);
    } finally {
      pool.close();
    }
  });

  it('a worker kept from a closed pool draws the next scene, with none of the last one left', async () => {
    const a = scene(256, 144, 48);
    const first = new RenderPool(a, a.background, stillAmbient(), 3, 1, 5000, {});
    await first.render(1, pose(1), 1 / 24, 'i420');
    first.close();
    const b = scene(192, 108, 32);
    b.background.reverse();
    const here = new ParallaxRenderer(b, b.background, stillAmbient(), 5, b.width, b.height, { premultiplied: true });
    const next = new RenderPool(b, b.background, stillAmbient(), 5, 1, 5000, { premultiplied: true });
    try {
      for (const k of [2, 4]) {
        const frame = await next.render(k, pose(k), k / 24, 'i420');
        expect(Buffer.compare(frame, here.renderI420(pose(k), k / 24)), `frame ${k}`).toBe(0);
      }
    } finally {
      next.close();
    }
  });

  it('uses one worker on two cores or fewer, and the environment overrides it', () => {
    const saved = process.env.KINEGRAPH_RENDER_WORKERS;
    try {
      process.env.KINEGRAPH_RENDER_WORKERS = '0';
      expect(RenderPool.defaultSize()).toBe(0);
      process.env.KINEGRAPH_RENDER_WORKERS = '3';
      expect(RenderPool.defaultSize()).toBe(3);
      delete process.env.KINEGRAPH_RENDER_WORKERS;
      expect(RenderPool.defaultSize()).toBeGreaterThanOrEqual(1);
    } finally {
      if (saved === undefined) delete process.env.KINEGRAPH_RENDER_WORKERS;
      else process.env.KINEGRAPH_RENDER_WORKERS = saved;
    }
  });
});
