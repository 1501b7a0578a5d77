import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, UserError } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { hasPhotos, loadPhoto } from '../perception/detect-faces.photos.js';
import { ImageValue } from '../values/image.js';
import { VideoValue } from '../values/video.js';
import { openUpscaleModel } from './open-model.js';
import { overlapForContext } from './tiling.js';
import { Upscale } from './upscale.js';
import { upscaleFrame, upscaleFrameFloat } from './upscale-frame.js';
import type { UpscaleModel } from './upscale-model.js';
import { modelCacheDir } from '../perception/converter/model-cache.js';

let host: TestHost;
let slim: UpscaleModel;
let medium: UpscaleModel;

beforeAll(async () => {
  host = await createTestHost();
  const cacheDir = modelCacheDir(host.services);
  slim = await openUpscaleModel('slim-x2', { cacheDir, provider: 'cpu' });
  medium = await openUpscaleModel('medium-x2', { cacheDir, provider: 'cpu' });
});
afterAll(() => host.cleanup());

const ctx = () => createTestCtx(host.services);

/** A textured test picture: a photo crop when the test photos are there, else a synthetic pattern. */
async function picture(w: number, h: number): Promise<ImageValue> {
  if (hasPhotos('people/baboon.jpg')) {
    const p = await loadPhoto('people/baboon.jpg', 320);
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
      data.set(p.data.subarray((y + 40) * p.width * 3 + 60 * 3, (y + 40) * p.width * 3 + (60 + w) * 3), y * w * 3);
    return new ImageValue(w, h, data);
  }
  return new ImageValue(
    w,
    h,
    Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7919) % 256),
  );
}

describe('tiled inference', () => {
  it.each([['slim-x2'], ['medium-x2']])('equals the untiled result within 1e-3 (%s, auto overlap)', async (id) => {
    const model = id === 'slim-x2' ? slim : medium;
    const img = await picture(150, 110);
    const whole = await upscaleFrameFloat(model, img.data, img.width, img.height, { tile: 1024, overlap: 0 });
    const tiled = await upscaleFrameFloat(model, img.data, img.width, img.height, {
      tile: 72,
      overlap: overlapForContext(model.info.context),
    });
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i] - tiled[i]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('without overlap shows seams (the overlap is what removes them)', async () => {
    const img = await picture(150, 110);
    const whole = await upscaleFrameFloat(slim, img.data, img.width, img.height, { tile: 1024, overlap: 0 });
    const tiled = await upscaleFrameFloat(slim, img.data, img.width, img.height, { tile: 64, overlap: 0 });
    let worst = 0;
    for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i] - tiled[i]));
    expect(worst).toBeGreaterThan(1);
  });
});

describe('Upscale: images', () => {
  it('upscales an IMAGE with the model, progress per tile and a preview at the end', async () => {
    const img = await picture(100, 70);
    const c = ctx();
    const { image, video } = await runNode(Upscale, c, { image: img, upscale_model: slim }, { factor: '2', tile: 64 });
    expect(video).toBeNull();
    expect([image.width, image.height]).toEqual([200, 140]);
    expect(Buffer.from(image.data).equals(Buffer.from(await upscaleFrame(slim, img.data, 100, 70, { tile: 1024, overlap: 27 })))).toBe(
      true,
    );
    const last = c.progressLog.at(-1)!;
    expect(last.preview?.mime).toBe('image/jpeg');
    expect([last.value, last.max]).toEqual([4, 4]); // 2x2 tiles of at most 64
  });

  it('resizes the model output to the factor with Lanczos, warning when the model enlarges less', async () => {
    const img = await picture(40, 30);
    const c = ctx();
    const three = (await runNode(Upscale, c, { image: img, upscale_model: slim }, { factor: '3' })).image as ImageValue;
    expect([three.width, three.height]).toEqual([120, 90]);
    expect(c.warnings[0]).toMatchObject({
      field: 'factor',
      message: expect.stringMatching(/slim-x2 enlarges 2x; the rest of the 3x is Lanczos/),
    });
    const c2 = ctx();
    const small = (await runNode(Upscale, c2, { image: img, upscale_model: slim }, { factor: '1.5' })).image as ImageValue;
    expect([small.width, small.height]).toEqual([60, 45]);
    expect(c2.warnings).toEqual([]);
  });

  it('upscales with Lanczos alone', async () => {
    const img = await picture(40, 30);
    const { image } = await runNode(Upscale, ctx(), { image: img }, { method: 'lanczos', factor: '4' });
    expect([image.width, image.height]).toEqual([160, 120]);
  });
});

describe('Upscale: videos', () => {
  it('streams every frame once through the model into a file, with progress per frame and previews', async () => {
    const src = movingSquareVideo(64, 48, 5, 12);
    let reads = 0;
    const counted = new VideoValue({ ...src.source, frameAt: (i) => (reads++, src.frameAt(i)) });
    const c = ctx();
    const { video } = (await runNode(Upscale, c, { video: counted, upscale_model: slim }, { factor: '2' })) as { video: VideoValue };
    expect(reads).toBe(5);
    expect([video.width, video.height, video.fps, video.frameCount]).toEqual([128, 96, 12, 5]);
    expect(video.byteSize()).toBeLessThan(128 * 96 * 3); // on disk, not in memory
    const perFrame = c.progressLog.filter((p) => p.max === 5).map((p) => p.value);
    expect(perFrame).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.progressLog.filter((p) => p.preview).length).toBeGreaterThanOrEqual(2); // the first and the last
    // Reading the result again runs nothing upstream and gives the same bytes as upscaling that frame alone.
    const f3 = await video.frameAt(3);
    expect(Buffer.from(f3).equals(Buffer.from(await video.frameAt(3)))).toBe(true);
    expect(reads).toBe(5);
    expect(Buffer.from(f3).equals(Buffer.from(await upscaleFrame(slim, await src.frameAt(3), 64, 48, { tile: 384, overlap: 27 })))).toBe(
      true,
    );
    expect((await readdir(path.join(host.tempDir, 'upscaled'))).length).toBeGreaterThanOrEqual(1);
  });

  it('stops between tiles when the run is interrupted, leaving no file behind', async () => {
    const dir = path.join(host.tempDir, 'upscaled');
    const before = new Set(await readdir(dir).catch(() => []));
    const c = ctx();
    const src = movingSquareVideo(200, 120, 30, 12);
    let tilesRun = 0;
    const model = new Proxy(slim, {
      get(target, key) {
        if (key === 'run')
          return (...args: Parameters<UpscaleModel['run']>) => (++tilesRun === 3 && c.controller.abort(), target.run(...args));
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    Object.setPrototypeOf(model, Object.getPrototypeOf(slim));
    await expect(runNode(Upscale, c, { video: src, upscale_model: model }, { tile: 64 })).rejects.toThrow(AbortError);
    expect(tilesRun).toBe(3); // the tile in flight finishes, no further tile starts
    const after = (await readdir(dir)).filter((f) => !before.has(f));
    expect(after).toEqual([]);
  });

  it('scales frames lazily with Lanczos', async () => {
    const src = movingSquareVideo(40, 24, 4, 12);
    const { video } = (await runNode(Upscale, ctx(), { video: src }, { method: 'lanczos', factor: '1.5' })) as { video: VideoValue };
    expect([video.width, video.height, video.frameCount]).toEqual([60, 36, 4]);
    expect((await video.frameAt(2)).length).toBe(60 * 36 * 3);
  });
});

describe('Upscale: errors', () => {
  const img = new ImageValue(8, 8, new Uint8Array(8 * 8 * 3));
  it('names what is missing or wrong', async () => {
    await expect(runNode(Upscale, ctx(), {}, {})).rejects.toThrow(/Connect an image or a video to upscale/);
    await expect(runNode(Upscale, ctx(), { image: img, video: movingSquareVideo(8, 8, 1) }, {})).rejects.toThrow(/not both/);
    await expect(runNode(Upscale, ctx(), { image: img }, {})).rejects.toThrow(/Method "model" needs an upscale model/);
    await expect(runNode(Upscale, ctx(), { image: img, upscale_model: 'slim' }, {})).rejects.toThrow(/not an UPSCALE_MODEL/);
    await expect(runNode(Upscale, ctx(), { image: { width: 1 } }, {})).rejects.toThrow(/not an IMAGE/);
    await expect(runNode(Upscale, ctx(), { image: img, upscale_model: slim }, { tile: 64, overlap: 40 })).rejects.toThrow(
      /Overlap 40 must be under half the tile size \(64\)/,
    );
    await expect(runNode(Upscale, ctx(), { video: movingSquareVideo(2000, 1200, 1) }, { method: 'lanczos', factor: '4' })).rejects.toThrow(
      UserError,
    );
  });
});
