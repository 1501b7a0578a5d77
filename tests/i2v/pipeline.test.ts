import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createServices, UserError } from '@kinegraph/graph-core';
import { parallaxBundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { resizeImage } from '../../packages/nodes/src/i2v/parallax/resize.js';
import { latentToScene } from '../../packages/nodes/src/i2v/parallax/scene.js';
import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import { CameraPathSchema, cameraFromSpec } from '../../packages/nodes/src/i2v/parallax/camera/path.js';
import type { AmbientParams } from '../../packages/nodes/src/i2v/parallax/motion/motion-params.js';
import { EncodeImage } from '../../packages/nodes/src/i2v/latent/EncodeImage.js';
import { DecodeVideo } from '../../packages/nodes/src/i2v/latent/DecodeVideo.js';
import { Denoise } from '../../packages/nodes/src/i2v/sampling/Denoise.js';
import { ImageValue } from '../../packages/nodes/src/values/image.js';
import type { LatentValue } from '../../packages/nodes/src/values/latent.js';
import { createTestCtx, runNode } from '../../packages/nodes/src/test-support/ctx.js';
import { generatedPhoto, loadImage, photoPath } from './helpers/photos.js';
import { meanAbsDiff, psnr } from './helpers/motion.js';

const { vae, textEncoder, model } = parallaxBundle;
const ctx = () => createTestCtx(createServices([]));
const W = 512;
const H = 288;

async function photo(name: string): Promise<ImageValue> {
  const p = photoPath(name);
  return p ? loadImage(p) : generatedPhoto();
}

async function render(
  latent: LatentValue,
  positive: string,
  o: { negative?: string; cfg?: number; seed?: number; frames?: number; steps?: number } = {},
) {
  const c = ctx();
  const video = await model.denoise(c, {
    image: latent,
    positive: await textEncoder.encode(c, positive),
    negative: o.negative === undefined ? undefined : await textEncoder.encode(c, o.negative),
    frames: o.frames ?? 25,
    fps: 24,
    steps: o.steps ?? 2,
    cfg: o.cfg ?? 1,
    seed: o.seed ?? 7,
    sampler: 'default',
    scheduler: 'default',
    motion: 0.5,
  });
  return { video: await vae.decode(c, video), ctx: c, latent: video };
}

describe('photo analysis', () => {
  it('finds a sharp subject against a defocused background (FallenLeaf, or a generated stand-in)', async () => {
    const img = await photo('FallenLeaf');
    const latent = await vae.encode(ctx(), img, { width: W, height: H, resizeMode: 'crop' });
    const s = latentToScene(latent);
    expect(s.stats.subject).toBe(true);
    expect(s.subjectDepth).toBeGreaterThan(0);
    const [x0, y0, x1, y1] = s.subjectBox;
    // The box is a part of the frame, not all of it, and the matte is solid in its middle, empty at the corners.
    expect((x1 - x0) * (y1 - y0)).toBeLessThan(W * H * 0.5);
    let inside = 0;
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ((inside += s.matte[y * W + x]), n++);
    expect(inside / n / 255).toBeGreaterThan(0.35);
    expect(s.matte[0]).toBe(0);
    expect(s.matte[W * H - 1]).toBe(0);
  });

  it('puts the sky at the top far away and the ground near (EveningGlow, or a generated stand-in)', async () => {
    const img = await photo('EveningGlow');
    const latent = await vae.encode(ctx(), img, { width: W, height: H, resizeMode: 'crop' });
    const s = latentToScene(latent);
    expect(Number(s.stats.skyShare)).toBeGreaterThan(0.1);
    expect(s.horizon).toBeGreaterThan(0.1);
    expect(s.horizon).toBeLessThan(0.6);
    const pq = s.pad / s.q;
    const row = (fy: number) => {
      const y = Math.round(pq + fy * (H / s.q));
      let sum = 0;
      for (let x = pq; x < s.qw - pq; x++) sum += s.depth[y * s.qw + x];
      return sum / (s.qw - 2 * pq);
    };
    expect(row(0.05)).toBeGreaterThan(3 * row(0.95));
    expect(row(0.5)).toBeGreaterThan(row(0.95));
  });

  it('completes the background beyond the frame: the margin is filled, not black', async () => {
    const latent = await vae.encode(ctx(), await photo('Path'), { width: W, height: H, resizeMode: 'crop' });
    const s = latentToScene(latent);
    const pw = W + 2 * s.pad;
    let dark = 0;
    for (let x = 0; x < pw; x++) if (s.background[x * 3] + s.background[x * 3 + 1] + s.background[x * 3 + 2] === 0) dark++;
    expect(dark).toBeLessThan(pw * 0.5);
    expect(s.unknown[0]).toBeGreaterThan(0);
  });
});

describe('rendering', () => {
  let image: ImageValue;
  let latent: LatentValue;
  beforeAll(async () => {
    image = await photo('EveningGlow');
    latent = await vae.encode(ctx(), image, { width: W, height: H, resizeMode: 'crop' });
  });

  it('frame 0 is the resized photo (PSNR ≥ 35 dB), with every camera move', async () => {
    const expected = await resizeImage(image, W, H, 'crop');
    for (const prompt of ['slow push in, waves roll in, clouds drift left', '[Pan left, Zoom in]', 'orbit right, handheld, rain falling']) {
      const { video, latent: v } = await render(latent, prompt);
      expect(Buffer.from(await video.frameAt(0)).equals(Buffer.from(expected))).toBe(true);
      // The layers themselves composite back to the photo (not only the frame-0 shortcut): render a pose a
      // hair away from the photo's camera through the full warp.
      const scene = latentToScene(v);
      const plan = v.meta.video as { ambient: AmbientParams };
      const r = new ParallaxRenderer(scene, scene.background, plan.ambient, 7);
      const near = r.render({ position: [0, 0, 1e-9], rotation: [0, 0, 0], fov: 45 }, 0);
      expect(psnr(near, expected)).toBeGreaterThanOrEqual(35);
    }
  });

  it('same seed → identical bytes; another seed → other ambient motion, same first frame', async () => {
    const prompt = 'waves roll in, clouds drift left, wind in the trees, snow falling';
    const a = (await render(latent, prompt, { seed: 1 })).video;
    const b = (await render(latent, prompt, { seed: 1 })).video;
    const c = (await render(latent, prompt, { seed: 2 })).video;
    for (const i of [0, 12, 24]) expect(Buffer.from(await a.frameAt(i)).equals(Buffer.from(await b.frameAt(i)))).toBe(true);
    expect(Buffer.from(await c.frameAt(0)).equals(Buffer.from(await a.frameAt(0)))).toBe(true);
    expect(meanAbsDiff(await a.frameAt(24), await c.frameAt(24))).toBeGreaterThan(0.2);
  });

  it('frames rendered on worker threads are the same bytes as on the main thread, RGB and I420', async () => {
    const { latent: v } = await render(latent, 'truck left, waves roll in, snow falling', { frames: 30 });
    const before = process.env.KINEGRAPH_RENDER_WORKERS;
    try {
      process.env.KINEGRAPH_RENDER_WORKERS = '0';
      const direct = await vae.decode(ctx(), v);
      process.env.KINEGRAPH_RENDER_WORKERS = '2';
      const pooled = await vae.decode(ctx(), v);
      for (let i = 0; i < 30; i++) expect(Buffer.from(await pooled.frameAt(i)).equals(Buffer.from(await direct.frameAt(i)))).toBe(true);
      // I420 frames too (what SaveVideo asks for), drawn by WebAssembly in each thread.
      for (let i = 0; i < 30; i += 3)
        expect(Buffer.from(await pooled.source.i420At!(i)).equals(Buffer.from(await direct.source.i420At!(i)))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.KINEGRAPH_RENDER_WORKERS;
      else process.env.KINEGRAPH_RENDER_WORKERS = before;
    }
  });

  it('negative prompt and cfg change the motion measurably', async () => {
    const prompt = 'pan left, waves roll in';
    const base = await (await render(latent, prompt)).video.frameAt(24);
    const strong = await (await render(latent, prompt, { cfg: 2 })).video.frameAt(24);
    const negated = await (await render(latent, prompt, { cfg: 2, negative: 'pan left' })).video.frameAt(24);
    expect(meanAbsDiff(base, strong)).toBeGreaterThan(1);
    expect(meanAbsDiff(strong, negated)).toBeGreaterThan(1);
  });

  it('is temporally smooth: consecutive frames differ little (no flicker)', async () => {
    const { video } = await render(latent, 'slow push in, the waves roll in softly, clouds drift to the left', { frames: 24 });
    let prev = await video.frameAt(0);
    for (let i = 1; i < 24; i++) {
      const f = await video.frameAt(i);
      expect(meanAbsDiff(prev, f)).toBeLessThan(6);
      prev = f;
    }
  });

  it('reports progress on every step with a JPEG preview', async () => {
    const { ctx: c } = await render(latent, 'pan right', { steps: 4 });
    expect(c.progressLog.map((p) => [p.value, p.max])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    const meta = await sharp(c.progressLog[3].preview!.data).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeLessThanOrEqual(320);
  });

  it('steps refine the synthesized areas with seeded detail', async () => {
    const a = (await render(latent, 'static', { steps: 1 })).latent.tensors.background.data as Uint8Array;
    const b = (await render(latent, 'static', { steps: 6 })).latent.tensors.background.data as Uint8Array;
    const orig = latent.tensors.background.data as Uint8Array;
    expect(meanAbsDiff(a, orig)).toBeGreaterThan(0);
    expect(meanAbsDiff(a, b)).toBeGreaterThan(0);
  });
});

describe('Denoise inputs', () => {
  let latent: LatentValue;
  beforeAll(async () => {
    latent = await vae.encode(ctx(), await generatedPhoto(320, 180), { width: 256, height: 144, resizeMode: 'crop' });
  });
  const poses = (l: LatentValue) => (l.meta.video as { poses: Array<{ rotation: number[]; position: number[] }> }).poses;

  it('a connected CAMERA overrides the camera words of the prompt', async () => {
    const positive = await textEncoder.encode(ctx(), 'pan left, waves roll in');
    const camera = cameraFromSpec(CameraPathSchema.parse({ moves: [{ type: 'static' }] }));
    const fromPrompt = await runNode(Denoise, ctx(), { model, latent, positive }, { frames: 12, steps: 1 });
    const fromCamera = await runNode(Denoise, ctx(), { model, latent, positive, camera }, { frames: 12, steps: 1 });
    expect(poses(fromPrompt.latent)[11].rotation[0]).toBeLessThan(-1);
    for (const p of poses(fromCamera.latent)) expect(p.rotation).toEqual([0, 0, 0]);
  });

  it('motion intensity scales the prompt camera move', async () => {
    const positive = await textEncoder.encode(ctx(), 'truck right');
    const x = async (motion: string) =>
      poses((await runNode(Denoise, ctx(), { model, latent, positive }, { frames: 12, steps: 1, motion })).latent)[11].position[0];
    const low = await x('low');
    const medium = await x('medium');
    const high = await x('high');
    expect(low).toBeGreaterThan(0);
    expect(medium).toBeGreaterThan(low);
    expect(high).toBeGreaterThan(medium);
  });

  it('an interrupt stops Denoise within a step', async () => {
    const c = ctx();
    const positive = await textEncoder.encode(c, 'pan left');
    const origProgress = c.progress.bind(c);
    c.progress = (v, m, p) => {
      if (v === 2) c.controller.abort();
      origProgress(v, m, p);
    };
    await expect(runNode(Denoise, c, { model, latent, positive }, { frames: 12, steps: 8 })).rejects.toThrow(/interrupted/i);
    expect(c.progressLog.length).toBe(2);
  });

  it('frames or duration × fps set the length', async () => {
    const positive = await textEncoder.encode(ctx(), 'static');
    const byDuration = await runNode(Denoise, ctx(), { model, latent, positive }, { duration: 2, fps: 10, steps: 1 });
    expect(poses(byDuration.latent)).toHaveLength(20);
    const byFrames = await runNode(Denoise, ctx(), { model, latent, positive }, { frames: 7, fps: 10, steps: 1 });
    expect(poses(byFrames.latent)).toHaveLength(7);
  });
});

describe('resize modes', () => {
  it('pad letterboxes on black, fit on the blurred photo, crop fills', async () => {
    const tall = await generatedPhoto(300, 400);
    const row0 = async (mode: 'crop' | 'fit' | 'pad') => {
      const rgb = await resizeImage(tall, 256, 144, mode);
      return rgb[0] + rgb[1] + rgb[2];
    };
    expect(await row0('pad')).toBe(0);
    expect(await row0('fit')).toBeGreaterThan(30);
    expect(await row0('crop')).toBeGreaterThan(30);
  });
});

describe('clear errors', () => {
  it('EncodeImage rejects a size that is not a multiple of 16', async () => {
    const img = new ImageValue(64, 64, new Uint8Array(64 * 64 * 3));
    const err = await runNode(EncodeImage, ctx(), { vae, image: img }, { resolution: 'custom', width: 1000, height: 720 }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/multiple of 16/);
    expect(EncodeImage.checkParams!({ resolution: 'custom', aspect: 'auto', width: 1000, height: 720, resize_mode: 'crop' })).toEqual([
      ['width', 'Width must be a multiple of 16 (got 1000)'],
    ]);
  });

  it('EncodeImage rejects a tiny image and a non-image', async () => {
    await expect(runNode(EncodeImage, ctx(), { vae, image: new ImageValue(4, 4, new Uint8Array(48)) })).rejects.toThrow(/too small/);
    await expect(runNode(EncodeImage, ctx(), { vae, image: 'photo.jpg' })).rejects.toThrow(/not an IMAGE/);
  });

  it('EncodeImage warns when a small photo is blown up far beyond its size', async () => {
    const c = ctx();
    await runNode(EncodeImage, c, { vae, image: await generatedPhoto(160, 90) }, { resolution: '512p' });
    expect(c.warnings).toMatchObject([{ field: 'resolution', message: expect.stringMatching(/only 160x90: enlarged 5\.7x to 912x512/) }]);
    const fine = ctx();
    await runNode(EncodeImage, fine, { vae, image: await generatedPhoto(640, 360) }, { resolution: '512p' });
    expect(fine.warnings).toEqual([]);
  });

  it('EncodeImage picks 1280x720 for landscape and 720x1280 for portrait photos at 720p', async () => {
    const land = await runNode(EncodeImage, ctx(), { vae, image: await generatedPhoto(400, 300) });
    expect([land.latent.meta.width, land.latent.meta.height]).toEqual([1280, 720]);
    const portrait = await runNode(EncodeImage, ctx(), { vae, image: await generatedPhoto(300, 400) }, { resolution: '512p' });
    expect([portrait.latent.meta.width, portrait.latent.meta.height]).toEqual([512, 912]);
  });

  it('Denoise and DecodeVideo explain a wrong latent', async () => {
    const latent = await vae.encode(ctx(), await generatedPhoto(320, 180), { width: 256, height: 144, resizeMode: 'crop' });
    const positive = await textEncoder.encode(ctx(), 'pan left');
    await expect(runNode(DecodeVideo, ctx(), { vae, latent })).rejects.toThrow(/run it through Denoise/);
    await expect(runNode(Denoise, ctx(), { model, latent, positive }, { sampler: 'euler' })).rejects.toThrow(/Unknown sampler "euler"/);
    const video = await runNode(Denoise, ctx(), { model, latent, positive }, { duration: 1, fps: 12, steps: 1 });
    await expect(runNode(Denoise, ctx(), { model, latent: video.latent, positive })).rejects.toThrow(/encode the photo/);
    const out = await runNode(DecodeVideo, ctx(), { vae, latent: video.latent });
    expect(out.video.frameCount).toBe(12);
    expect(out.video.fps).toBe(12);
  });
});
