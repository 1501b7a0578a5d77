/**
 * Full-size frames of builtin/parallax-v2 for looking closely (the subject's outline under a strong move):
 * each photo at 720p with one prompt and intensity, frames written as PNG, plus the subject matte and box.
 * --layers also writes each frame's layers alone: the background (no subject) and the subject over magenta.
 *   npx tsx tests/i2v/tools/push-frames.ts OUT_DIR photo.jpg [photo.jpg ...] [--prompt "[Push in]"] [--motion 0.85] [--frames 0,96,143] [--layers]
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createServices } from '@kinegraph/graph-core';
import { parallaxV2Bundle } from '../../../packages/nodes/src/i2v/parallax/provider.js';
import { ParallaxRenderer } from '../../../packages/nodes/src/i2v/parallax/render/renderer.js';
import type { VideoPlan } from '../../../packages/nodes/src/i2v/parallax/video-source.js';
import { latentToScene } from '../../../packages/nodes/src/i2v/parallax/scene.js';
import { createTestCtx } from '../../../packages/nodes/src/test-support/ctx.js';
import { ImageValue } from '../../../packages/nodes/src/values/image.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const prompt = opt('--prompt', '[Push in]');
const motion = Number(opt('--motion', '0.85'));
const layers = argv.includes('--layers') && !!argv.splice(argv.indexOf('--layers'), 1);
const frames = opt('--frames', '0,96,143').split(',').map(Number);
const [out, ...photos] = argv;
mkdirSync(out, { recursive: true });
const { vae, textEncoder, model } = parallaxV2Bundle;
const ctx = createTestCtx(createServices([]));

for (const file of photos) {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const img = new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const size = info.width >= info.height ? { width: 1280, height: 720 } : { width: 720, height: 1280 };
  const latent = await vae.encode(ctx, img, { ...size, resizeMode: 'crop' });
  const scene = latentToScene(latent);
  const base = path.join(out, path.basename(file, path.extname(file)));
  console.log(`${path.basename(file)}: subject depth ${scene.subjectDepth}, box ${Array.from(scene.subjectBox)}, person ${!!scene.person}`);
  await sharp(Buffer.from(scene.matte), { raw: { width: scene.width, height: scene.height, channels: 1 } })
    .png()
    .toFile(`${base}-matte.png`);
  const video = await model.denoise(ctx, {
    image: latent,
    positive: await textEncoder.encode(ctx, prompt),
    frames: Math.max(...frames) + 1,
    fps: 24,
    steps: 2,
    cfg: 1,
    seed: 42,
    sampler: 'default',
    scheduler: 'default',
    motion,
  });
  const source = (await vae.decode(ctx, video)).source;
  for (const i of frames) {
    await sharp(await source.frameAt(i), { raw: { width: source.width, height: source.height, channels: 3 } })
      .png()
      .toFile(`${base}-${i}.png`);
  }
  if (layers) {
    const v = latentToScene(video);
    const plan = video.meta.video as VideoPlan;
    const magenta = new Uint8Array(v.background.length);
    for (let k = 0; k < magenta.length; k += 3) magenta[k] = magenta[k + 2] = 255;
    await sharp(v.background, { raw: { width: v.width + 2 * v.pad, height: v.height + 2 * v.pad, channels: 3 } })
      .extract({ left: v.pad, top: v.pad, width: v.width, height: v.height })
      .png()
      .toFile(`${base}-background-layer.png`);
    const bgOnly = new ParallaxRenderer({ ...v, subjectDepth: 0 }, v.background, plan.ambient, plan.seed, v.width, v.height, plan.render);
    const fgOnly = new ParallaxRenderer(v, magenta, plan.ambient, plan.seed, v.width, v.height, plan.render);
    for (const i of frames) {
      for (const [name, r] of [
        ['background', bgOnly],
        ['subject', fgOnly],
      ] as const) {
        await sharp(r.render(plan.poses[i], i / plan.fps), { raw: { width: v.width, height: v.height, channels: 3 } })
          .png()
          .toFile(`${base}-${i}-${name}.png`);
      }
    }
  }
  console.log(
    `  framing ${JSON.stringify(video.meta.framing)}; warnings: ${
      ctx.warnings
        .splice(0)
        .map((w) => w.message)
        .join(' | ') || 'none'
    }`,
  );
}
