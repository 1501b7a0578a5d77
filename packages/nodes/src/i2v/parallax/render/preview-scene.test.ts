import { describe, expect, it } from 'vitest';
import { BASE_FOV } from '../camera/presets.js';
import { stillAmbient } from '../motion/motion-params.js';
import type { ParallaxScene } from '../scene.js';
import { PreviewScene } from './preview-scene.js';
import { DetailRefiner } from './refine-detail.js';
import { ParallaxRenderer } from './renderer.js';

/** A scene of smooth gradients (so a quarter-size view of it is fair to compare), a subject and a synthesized margin. */
function scene(width: number, height: number, pad: number): ParallaxScene {
  const pw = width + 2 * pad;
  const ph = height + 2 * pad;
  const q = 4;
  const qw = pw / q;
  const qh = ph / q;
  const background = new Uint8Array(pw * ph * 3);
  const unknown = new Uint8Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const o = y * pw + x;
      background.set([(x * 255) / pw, (y * 255) / ph, 128 + 60 * Math.sin(x / 40 + y / 60)], o * 3);
      unknown[o] = x < pad || y < pad || x >= pad + width || y >= pad + height ? 255 : 0;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  const matte = new Uint8Array(width * height);
  const box: [number, number, number, number] = [width / 4, height / 4, width / 2, (3 * height) / 4];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * width + x;
      rgb.set(background.subarray(((y + pad) * pw + x + pad) * 3, ((y + pad) * pw + x + pad) * 3 + 3), o * 3);
      if (x >= box[0] && x < box[2] && y >= box[1] && y < box[3]) {
        matte[o] = 255;
        rgb.set([220, 40, 40], o * 3);
      }
    }
  }
  const depth = Float32Array.from({ length: qw * qh }, (_, i) => 1.5 + Math.floor(i / qw) / qh);
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
    unknown,
    depth,
    masks: new Float32Array(5 * qw * qh),
    detail: new Float32Array(qw * qh).fill(0.1),
    subjectDepth: 1,
    subjectBox: box,
    horizon: 0.3,
    stats: {},
  };
}

/** Mean of 4×4 blocks of an RGB frame. */
function quarter(rgb: Uint8Array, w: number, h: number): Float64Array {
  const out = new Float64Array((w / 4) * (h / 4) * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) out[((y >> 2) * (w / 4) + (x >> 2)) * 3 + c] += rgb[(y * w + x) * 3 + c] / 16;
  return out;
}

describe('PreviewScene', () => {
  const s = scene(256, 144, 48);

  it('is the scene at preview size: photo, matte, padded background, fields and subject box scaled alike', () => {
    const small = PreviewScene.create(s, 64, 36, new DetailRefiner(s, 1, 2)).scene;
    expect([small.width, small.height, small.pad]).toEqual([64, 36, 12]);
    expect(small.rgb.length).toBe(64 * 36 * 3);
    expect(small.matte.length).toBe(64 * 36);
    expect(small.background.length).toBe((64 + 24) * (36 + 24) * 3);
    // Field cells still cover the padded canvas: qw cells of q preview pixels.
    expect(small.qw * small.q).toBeCloseTo(64 + 24, 0);
    expect(small.qh * small.q).toBeCloseTo(36 + 24, 0);
    expect(small.depth.length).toBe(small.qw * small.qh);
    expect(small.masks.length).toBe(5 * small.qw * small.qh);
    expect(small.subjectBox).toEqual([16, 9, 32, 27]);
    // The subject's colour comes through the shrink; outside it, the photo's.
    expect(Array.from(small.rgb.subarray((18 * 64 + 20) * 3, (18 * 64 + 20) * 3 + 3))).toEqual([220, 40, 40]);
  });

  it('renders what a small frame of the full scene shows, from the same camera', () => {
    const pose = {
      position: [0.04, -0.02, 0.12] as [number, number, number],
      rotation: [0.01, -0.03, 0] as [number, number, number],
      fov: BASE_FOV,
    };
    const refiner = new DetailRefiner(s, 1, 2);
    const small = PreviewScene.create(s, 64, 36, refiner);
    const preview = new ParallaxRenderer(small.scene, small.background(), stillAmbient(), 1, 64, 36).render(pose, 1);
    const full = quarter(new ParallaxRenderer(s, s.background, stillAmbient(), 1).render(pose, 1), 256, 144);
    let diff = 0;
    for (let i = 0; i < preview.length; i++) diff += Math.abs(preview[i] - full[i]);
    expect(diff / preview.length).toBeLessThan(2);
    // A camera elsewhere sees something else: the comparison has teeth.
    const moved = new ParallaxRenderer(small.scene, small.background(), stillAmbient(), 1, 64, 36).render(
      { ...pose, position: [0.3, 0.1, 0.12] },
      1,
    );
    let other = 0;
    for (let i = 0; i < moved.length; i++) other += Math.abs(moved[i] - full[i]);
    expect(other / moved.length).toBeGreaterThan(3 * (diff / preview.length));
  });

  it('takes the refined detail in the synthesized margin at every step, and leaves the photo as it is', () => {
    const refiner = new DetailRefiner(s, 1, 2);
    const small = PreviewScene.create(s, 64, 36, refiner);
    const before = Uint8Array.from(small.background());
    refiner.step(0);
    const after = small.background();
    const vw = 64 + 24;
    let margin = 0;
    for (let y = 0; y < 36 + 24; y++) {
      for (let x = 0; x < vw; x++) {
        const inside = x >= 13 && x < 12 + 64 - 1 && y >= 13 && y < 12 + 36 - 1;
        for (let c = 0; c < 3; c++) {
          const i = (y * vw + x) * 3 + c;
          if (inside) expect(after[i]).toBe(before[i]);
          else if (after[i] !== before[i]) margin++;
        }
      }
    }
    expect(margin).toBeGreaterThan(4000);
  });
});
