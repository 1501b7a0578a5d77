import { describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../test-support/ctx.js';
import { gradientRgb } from '../test-support/images.js';
import { ImageValue } from '../values/image.js';
import { ResizeImage } from './resize-image.js';
import { resizePlan } from './resize-plan.js';

const ctx = () => createTestCtx(createServices([]));
const source = (w: number, h: number) => new ImageValue(w, h, new Uint8Array(gradientRgb(w, h)));
const px = (img: ImageValue, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];

describe('resizePlan', () => {
  it('derives the missing side from the aspect ratio and rounds to the multiple', () => {
    expect(resizePlan({ width: 400, height: 300 }, { width: 200, height: 0 }, 'crop', 1)).toEqual({ width: 200, height: 150 });
    expect(resizePlan({ width: 400, height: 300 }, { width: 0, height: 100 }, 'crop', 16)).toEqual({ width: 128, height: 96 });
    expect(resizePlan({ width: 400, height: 300 }, { width: 0, height: 0 }, 'crop', 1)).toEqual({ width: 400, height: 300 });
  });
  it('fit keeps the picture inside the box; the other modes fill it', () => {
    expect(resizePlan({ width: 400, height: 300 }, { width: 200, height: 200 }, 'fit', 1)).toEqual({ width: 200, height: 150 });
    expect(resizePlan({ width: 400, height: 300 }, { width: 200, height: 200 }, 'pad', 1)).toEqual({ width: 200, height: 200 });
    expect(resizePlan({ width: 400, height: 300 }, { width: 201, height: 199 }, 'crop', 8)).toEqual({ width: 200, height: 200 });
  });
});

describe('ResizeImage', () => {
  it('crop fills the box and cuts the sides of a wide picture', async () => {
    const out = await runNode(ResizeImage, ctx(), { image: source(200, 100) }, { width: 50, height: 50, mode: 'crop', multiple_of: 1 });
    expect([out.width, out.height]).toEqual([50, 50]);
    // The left edge of the crop is a quarter into the gradient (red ≈ 64), not the picture's edge (0).
    expect(px(out.image, 0, 25)[0]).toBeGreaterThan(40);
    expect(px(out.image, 0, 25)[0]).toBeLessThan(90);
  });

  it('pad keeps the whole picture and fills with black', async () => {
    const out = await runNode(ResizeImage, ctx(), { image: source(200, 100) }, { width: 50, height: 50, mode: 'pad', multiple_of: 1 });
    expect([out.width, out.height]).toEqual([50, 50]);
    expect(px(out.image, 25, 2)).toEqual([0, 0, 0]);
    expect(px(out.image, 25, 25)[2]).toBeGreaterThan(80);
  });

  it('fit follows the aspect ratio, stretch ignores it', async () => {
    const fit = await runNode(ResizeImage, ctx(), { image: source(200, 100) }, { width: 64, height: 64, mode: 'fit', multiple_of: 8 });
    expect([fit.width, fit.height]).toEqual([64, 32]);
    const stretch = await runNode(
      ResizeImage,
      ctx(),
      { image: source(200, 100) },
      { width: 30, height: 60, mode: 'stretch', multiple_of: 1 },
    );
    expect([stretch.width, stretch.height]).toEqual([30, 60]);
  });

  it('is deterministic', async () => {
    const a = await runNode(ResizeImage, ctx(), { image: source(123, 77) }, { width: 64, height: 48 });
    const b = await runNode(ResizeImage, ctx(), { image: source(123, 77) }, { width: 64, height: 48 });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
  });
});
