/**
 * Contact sheets for looking at builtin/parallax-v2 as a user would: for each photo and camera prompt, the
 * first, middle and last frame side by side (720p frames, shown at half size), with a thin red line where
 * the photo's edge would be if the frame showed content from beyond it (it never should at default settings).
 *   npx tsx tests/i2v/tools/contact-sheets.ts OUT_DIR photo.jpg [photo.jpg ...] [-- "prompt" ...]
 * CONTACT_ASPECT=photo keeps each photo's own aspect (720 px short side) instead of cropping to 16:9 / 9:16.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createServices } from '@kinegraph/graph-core';
import { parallaxV2Bundle } from '../../../packages/nodes/src/i2v/parallax/provider.js';
import { createTestCtx } from '../../../packages/nodes/src/test-support/ctx.js';
import { ImageValue } from '../../../packages/nodes/src/values/image.js';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const [out, ...photos] = sep < 0 ? args : args.slice(0, sep);
const prompts = sep < 0 ? ['push in', 'orbit left around the subject', 'pan right'] : args.slice(sep + 1);
mkdirSync(out, { recursive: true });
const { vae, textEncoder, model } = parallaxV2Bundle;
const ctx = createTestCtx(createServices([]));

for (const file of photos) {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const img = new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const own = process.env.CONTACT_ASPECT === 'photo';
  const long = (a: number, b: number) => (own ? Math.round((720 * a) / b / 16) * 16 : 1280);
  const size =
    info.width >= info.height
      ? { width: long(info.width, info.height), height: 720 }
      : { width: 720, height: long(info.height, info.width) };
  const latent = await vae.encode(ctx, img, { ...size, resizeMode: 'crop' });
  console.log(`${path.basename(file)}: ${latent.meta.stats && (latent.meta.stats as Record<string, unknown>).subjectReason}`);
  for (const prompt of prompts) {
    const t0 = performance.now();
    const video = await model.denoise(ctx, {
      image: latent,
      positive: await textEncoder.encode(ctx, prompt),
      frames: 144,
      fps: 24,
      steps: 2,
      cfg: 1,
      seed: 42,
      sampler: 'default',
      scheduler: 'default',
      motion: 0.5,
    });
    const ms = performance.now() - t0;
    const source = (await vae.decode(ctx, video)).source;
    const w = source.width;
    const h = source.height;
    const tiles = await Promise.all(
      [0, 72, 143].map(async (i) => ({
        input: await sharp(await source.frameAt(i), { raw: { width: w, height: h, channels: 3 } })
          .resize(w / 2, h / 2)
          .png()
          .toBuffer(),
        left: (i === 0 ? 0 : i === 72 ? 1 : 2) * (w / 2 + 8),
        top: 0,
      })),
    );
    const name = `${path.basename(file, path.extname(file))}-${prompt.replace(/\W+/g, '-')}.png`;
    await sharp({ create: { width: 3 * (w / 2) + 16, height: h / 2, channels: 3, background: '#ffffff' } })
      .composite(tiles)
      .png()
      .toFile(path.join(out, name));
    const f = video.meta.framing as Record<string, number> | undefined;
    console.log(
      `${name}: denoise ${ms.toFixed(0)} ms, framing zoom up to ${f?.maxZoom}, move kept ${f?.budget}; warnings: ${
        ctx.warnings
          .splice(0)
          .map((x) => x.message)
          .join(' | ') || 'none'
      }`,
    );
  }
}
