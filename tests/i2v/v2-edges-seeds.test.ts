import { describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { parallaxBundle, parallaxV2Bundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { latentToScene, REGION_NAMES } from '../../packages/nodes/src/i2v/parallax/scene.js';
import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import type { AmbientParams } from '../../packages/nodes/src/i2v/parallax/motion/motion-params.js';
import type { VideoPlan } from '../../packages/nodes/src/i2v/parallax/video-source.js';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { ImageValue } from '../../packages/nodes/src/values/image.js';
import { psnr } from './helpers/motion.js';
import { generatedPhoto, loadImage, photoPath } from './helpers/photos.js';
import { syntheticScene } from './helpers/synthetic-scene.js';
import { denoiseV2 } from './helpers/v2-run.js';

const ctx = () => createTestCtx(createServices([]));

/**
 * A photo with an asymmetric marker touching its left edge: a bright bar along the edge with a short arm
 * pointing right at its top (an "F" lying on the edge). Its mirror image (arm pointing left, beyond the
 * edge) is what a mirrored margin would show.
 */
const MW = 512;
const MH = 288;
const MARK = { y0: 122, y1: 196, bar: 10, arm: 40, armH: 14 };
function markerPhoto(): ImageValue {
  const rgb = new Uint8Array(MW * MH * 3);
  for (let y = 0; y < MH; y++) {
    for (let x = 0; x < MW; x++) {
      const i = (y * MW + x) * 3;
      const v = 70 + ((x * 7 + y * 13) % 23); // dull, slightly textured grey
      rgb[i] = v;
      rgb[i + 1] = v;
      rgb[i + 2] = v + 10;
      const inBar = x < MARK.bar && y >= MARK.y0 && y < MARK.y1;
      const inArm = x < MARK.arm && y >= MARK.y0 && y < MARK.y0 + MARK.armH;
      if (inBar || inArm) rgb.set([250, 30, 30], i);
    }
  }
  return new ImageValue(MW, MH, rgb);
}

const red = (f: Uint8Array, i: number) => f[i * 3] - (f[i * 3 + 1] + f[i * 3 + 2]) / 2;

/**
 * Whether the last frame of a clip shows the marker's mirror image. Each frame pixel's place in the padded
 * canvas comes from rendering a coordinate picture through the same camera (canvas x / 4 in red, y / 4 in
 * green). The flipped marker is an arm pointing away from the edge: red 12..36 px beyond the edge in the
 * arm's rows, and not in the rows below it (a smooth fill of the edge's red colours both alike).
 */
async function showsFlippedMarker(
  bundle: typeof parallaxV2Bundle,
  prompt: string,
  framing?: 'beyond',
): Promise<{ flipped: boolean; marker: boolean; seen: number }> {
  const c = ctx();
  const latent = await bundle.vae.encode(c, markerPhoto(), { width: MW, height: MH, resizeMode: 'crop' });
  const video = await bundle.model.denoise(c, {
    image: latent,
    positive: await bundle.textEncoder.encode(c, prompt),
    frames: 24,
    fps: 24,
    steps: 1,
    cfg: 1,
    seed: 3,
    sampler: 'default',
    scheduler: 'default',
    motion: 1,
    framing,
  });
  const plan = video.meta.video as VideoPlan;
  const scene = latentToScene(video);
  const last = plan.frames - 1;
  const frame = await (await bundle.vae.decode(c, video)).source.frameAt(last);
  const pw = MW + 2 * scene.pad;
  const ph = MH + 2 * scene.pad;
  const coords = new Uint8Array(pw * ph * 3);
  for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) coords.set([x >> 2, y >> 2, 0], (y * pw + x) * 3);
  const flat = { ...scene, subjectDepth: 0, matte: new Uint8Array(MW * MH) };
  const where = new ParallaxRenderer(flat, coords, plan.ambient, plan.seed, MW, MH, plan.render).render(plan.poses[last], last / plan.fps);
  let arm = 0;
  let armN = 0;
  let below = 0;
  let belowN = 0;
  let marker = 0;
  for (let i = 0; i < MW * MH; i++) {
    const beyond = scene.pad - where[i * 3] * 4;
    const row = where[i * 3 + 1] * 4 - scene.pad;
    if (beyond < -2 && row >= MARK.y0 && row < MARK.y1 && red(frame, i) > 100) marker++;
    if (beyond < 12 || beyond > 36) continue;
    if (row >= MARK.y0 + 2 && row < MARK.y0 + MARK.armH - 2) ((arm += red(frame, i)), armN++);
    if (row >= MARK.y0 + MARK.armH + 8 && row < MARK.y1 - 4) ((below += red(frame, i)), belowN++);
  }
  const seen = Math.min(armN, belowN);
  // The layer any frame shows beyond the edge (the refined background's margin): the same test there.
  const bg = scene.background;
  const canvasRed = (r0: number, r1: number) => {
    let sum = 0;
    let n = 0;
    for (let y = r0 + scene.pad; y < r1 + scene.pad; y++)
      for (let x = scene.pad - 36; x < scene.pad - 12; x++) ((sum += red(bg, y * pw + x)), n++);
    return sum / n;
  };
  const canvasFlipped = canvasRed(MARK.y0 + 2, MARK.y0 + MARK.armH - 2) - canvasRed(MARK.y0 + MARK.armH + 8, MARK.y1 - 4) > 40;
  return {
    flipped: (seen > 20 && arm / armN - below / belowN > 40) || canvasFlipped,
    marker: marker > 50,
    seen: beyondPixels(where, scene.pad),
  };
}

/** Frame pixels that show the canvas more than a pixel beyond the photo's left edge. */
function beyondPixels(where: Uint8Array, pad: number): number {
  let n = 0;
  for (let i = 0; i < MW * MH; i++) if (where[i * 3] * 4 < pad - 4) n++;
  return n;
}

describe('no mirrored copies at the photo edge', () => {
  it('v1 (for contrast): a pull out shows the marker flipped beyond the edge', async () => {
    const r = await showsFlippedMarker(parallaxBundle, 'fast pull out, pan left');
    expect(r.marker).toBe(true);
    expect(r.seen).toBeGreaterThan(20);
    expect(r.flipped).toBe(true);
  });

  it('v2 at default settings never looks beyond the edge; asked to ("beyond"), it shows no flipped marker', async () => {
    for (const framing of [undefined, 'beyond'] as const) {
      const r = await showsFlippedMarker(parallaxV2Bundle, 'fast pull out, pan left', framing);
      expect(r.marker, `framing ${framing ?? 'auto'}`).toBe(true);
      expect(r.flipped, `framing ${framing ?? 'auto'}`).toBe(false);
      // At default settings nothing beyond the edge is seen at all; with "beyond" the margin is in view.
      if (framing) expect(r.seen).toBeGreaterThan(20);
      else expect(r.seen).toBe(0);
    }
  });
});

describe('seeds that matter', () => {
  /** Sky over the top 45%, water below 55%, textured everywhere: a scene where ambient motion is present. */
  const scene = syntheticScene({ width: 640, height: 360, bgDepth: 10 });
  const N = scene.qw * scene.qh;
  const padQ = scene.pad / scene.q;
  for (let y = 0; y < scene.qh; y++) {
    const py = (y - padQ) / (scene.qh - 2 * padQ);
    for (let x = 0; x < scene.qw; x++) {
      if (py < 0.45) scene.masks[REGION_NAMES.indexOf('sky') * N + y * scene.qw + x] = 1;
      if (py > 0.55) scene.masks[REGION_NAMES.indexOf('water') * N + y * scene.qw + x] = 1;
    }
  }
  scene.horizon = 0.45;
  const prompt = 'clouds drift left, waves roll in, ripples on the water, slow push in';

  it('another seed gives visibly different ambient motion at frame 72 (PSNR <= 35 dB), the camera the same', async () => {
    const runs = await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => denoiseV2(scene, prompt, { seed, frames: 73 })));
    const frame = (plan: VideoPlan) =>
      new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed, 640, 360, plan.render).render(plan.poses[72], 72 / plan.fps);
    const first = frame(runs[0].plan);
    for (const run of runs.slice(1)) {
      expect(run.plan.poses).toEqual(runs[0].plan.poses);
      expect(psnr(first, frame(run.plan)), `seed ${run.plan.seed}`).toBeLessThanOrEqual(35);
    }
    // The same seed: the same bytes.
    expect(Buffer.from(frame((await denoiseV2(scene, prompt, { seed: 1, frames: 73 })).plan)).equals(Buffer.from(first))).toBe(true);
  });

  it('without ambient motion, seeds change nothing', async () => {
    const still: AmbientParams = { ...(await denoiseV2(scene, 'static camera')).plan.ambient };
    for (const k of Object.keys(still.env) as (keyof AmbientParams['env'])[]) still.env[k] = 0;
    const a = new ParallaxRenderer(scene, scene.background, still, 1, 640, 360, { variety: true }).render(
      { position: [0, 0, 0.1], rotation: [0, 0, 0], fov: 45 },
      3,
    );
    const b = new ParallaxRenderer(scene, scene.background, still, 2, 640, 360, { variety: true }).render(
      { position: [0, 0, 0.1], rotation: [0, 0, 0], fov: 45 },
      3,
    );
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('honest framing on a real photo', () => {
  it('the default workflow prompt on a real photo: no frame looks outside the photo, frame 0 is the photo', async () => {
    const p = photoPath('EveningGlow');
    const img = p ? await loadImage(p) : await generatedPhoto();
    const c = ctx();
    const latent = await parallaxV2Bundle.vae.encode(c, img, { width: 512, height: 288, resizeMode: 'crop' });
    const scene = latentToScene(latent);
    for (const prompt of [
      'the waves roll in softly, clouds drift to the left, slow push in, slow truck left',
      'orbit right around the subject',
      'pan left',
      'tilt up, handheld',
    ]) {
      const { plan, video } = await denoiseV2(latent, prompt, { frames: 48 });
      const r = new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed, 512, 288, plan.render);
      for (let i = 0; i < plan.frames; i += 3) {
        const e = r.sourceExtent(plan.poses[i], i / plan.fps);
        expect(e.minX, `${prompt} frame ${i}`).toBeGreaterThanOrEqual(scene.pad - 1e-3);
        expect(e.minY).toBeGreaterThanOrEqual(scene.pad - 1e-3);
        expect(e.maxX).toBeLessThanOrEqual(scene.pad + 511 + 1e-3);
        expect(e.maxY).toBeLessThanOrEqual(scene.pad + 287 + 1e-3);
      }
      const f0 = await (await parallaxV2Bundle.vae.decode(c, video)).source.frameAt(0);
      expect(Buffer.from(f0).equals(Buffer.from(scene.rgb)), prompt).toBe(true);
    }
  });
});
