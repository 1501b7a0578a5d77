import { describe, expect, it } from 'vitest';
import { CAMERA_COMMANDS, commandLabel } from '../../packages/nodes/src/i2v/parallax/camera/commands.js';
import { CameraPathSchema, cameraFromSpec } from '../../packages/nodes/src/i2v/parallax/camera/path.js';
import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import type { ParallaxScene } from '../../packages/nodes/src/i2v/parallax/scene.js';
import type { VideoPlan } from '../../packages/nodes/src/i2v/parallax/video-source.js';
import type { CameraPose } from '../../packages/nodes/src/values/camera.js';
import { parallaxV2Bundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { createServices } from '@kinegraph/graph-core';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { luma, regionShift } from './helpers/motion.js';
import { projectPoint, scaleAt } from './helpers/project.js';
import { syntheticScene } from './helpers/synthetic-scene.js';
import { denoiseV2 } from './helpers/v2-run.js';

const W = 320;
const H = 192;
/** Far background at depth 10, a subject plane at depth 1.5 in the middle (122..198 × 58..134). */
const scene = syntheticScene({ width: W, height: H, bgDepth: 10, subjectDepth: 1.5 });
const LEVELS = { low: 0.25, medium: 0.5, high: 0.85 } as const;

/** How far (share of the frame) a point at depth d at the centre travels from the first frame to the last. */
function travel(plan: VideoPlan, d: number, px = W / 2, py = H / 2): { x: number; y: number } {
  const a = projectPoint(plan.poses[0], px, py, d, W, H);
  const b = projectPoint(plan.poses[plan.frames - 1], px, py, d, W, H);
  return { x: (b[0] - a[0]) / W, y: (b[1] - a[1]) / H };
}
const endScale = (plan: VideoPlan, d: number) => scaleAt(plan.poses[0], plan.poses[plan.frames - 1], W / 2, H / 2, d, W, H);

/** Each move's size as a viewer sees it (share of the frame, or growth of scale at the subject). */
async function size(prompt: string, motion = 0.5, s: ParallaxScene = scene): Promise<number> {
  const { plan } = await denoiseV2(s, prompt, { motion });
  if (/pan/.test(prompt)) return Math.abs(travel(plan, 10).x);
  if (/tilt/.test(prompt)) return Math.abs(travel(plan, 10).y);
  if (/truck/.test(prompt)) return Math.abs(travel(plan, 1.5).x);
  if (/pedestal/.test(prompt)) return Math.abs(travel(plan, 1.5).y);
  return endScale(plan, 1.5) - 1; // push in, zoom in
}

describe('builtin/parallax-v2: motion that reads (medium intensity, 6 s)', () => {
  it.each(['pan left', 'pan right', 'tilt up', 'tilt down'])('%s moves the picture at least 8% of the frame', async (prompt) => {
    expect(await size(prompt)).toBeGreaterThanOrEqual(0.08);
  });

  it('push in reaches at least 1.12x at the subject, with parallax (the far background grows less)', async () => {
    const { plan } = await denoiseV2(scene, 'push in');
    expect(endScale(plan, 1.5)).toBeGreaterThanOrEqual(1.12);
    expect(endScale(plan, 10) - 1).toBeLessThan((endScale(plan, 1.5) - 1) * 0.5);
  });

  it.each(['truck left', 'truck right', 'pedestal up', 'pedestal down'])(
    '%s moves the near layer at least 5% and the far one less',
    async (prompt) => {
      const { plan } = await denoiseV2(scene, prompt);
      const axis = prompt.startsWith('truck') ? 'x' : 'y';
      const near = Math.abs(travel(plan, 1.5)[axis]);
      expect(near).toBeGreaterThanOrEqual(0.05);
      expect(Math.abs(travel(plan, 10)[axis])).toBeLessThan(near * 0.5);
    },
  );

  it.each(['pan left', 'tilt up', 'push in', 'truck right', 'pedestal up'])(
    '%s: high is at least 1.8x medium, "slowly" at least 0.6x',
    async (prompt) => {
      const medium = await size(prompt, LEVELS.medium);
      expect(await size(prompt, LEVELS.high)).toBeGreaterThanOrEqual(1.8 * medium);
      expect(await size(`slowly ${prompt}`)).toBeGreaterThanOrEqual(0.6 * medium);
      expect(await size(prompt, LEVELS.low)).toBeLessThan(medium);
    },
  );

  it('the poses agree with the rendered frames (pan: the content really travels that far)', async () => {
    const { plan } = await denoiseV2(scene, 'pan left', { frames: 48 });
    const r = new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed, W, H, plan.render);
    const a = luma(r.render(plan.poses[0], 0), W, H);
    const b = luma(r.render(plan.poses[47], 2), W, H);
    const shift = regionShift(a, b, W, H, [140, 80, 180, 112], 34);
    expect(shift.dx / W).toBeCloseTo(travel(plan, 1.5).x, 2);
  });
});

/** Frames of a plan that sample from outside the photo: the background coordinates the grid reaches (ambient motion included). */
function framesOutside(s: ParallaxScene, plan: VideoPlan, every = 1): number[] {
  const r = new ParallaxRenderer(s, s.background, plan.ambient, plan.seed, s.width, s.height, plan.render);
  const bad: number[] = [];
  for (let i = 0; i < plan.frames; i += every) {
    const e = r.sourceExtent(plan.poses[i], i / plan.fps);
    const eps = 1e-3;
    if (e.minX < s.pad - eps || e.minY < s.pad - eps || e.maxX > s.pad + s.width - 1 + eps || e.maxY > s.pad + s.height - 1 + eps)
      bad.push(i);
  }
  return bad;
}

describe('builtin/parallax-v2: honest framing', () => {
  const moving = CAMERA_COMMANDS.filter((c) => c !== 'static');

  it.each(moving)('%s at default settings: 0% of any frame from outside the photo', async (command) => {
    for (const motion of [LEVELS.low, LEVELS.medium]) {
      const { plan } = await denoiseV2(scene, `[${commandLabel(command)}] clouds drift, waves roll in, wind in the grass`, {
        motion,
        frames: 72,
      });
      expect(framesOutside(scene, plan)).toEqual([]);
    }
  });

  it('combined moves at high intensity stay inside too (the move is scaled to the room the photo has)', async () => {
    const { plan, ctx, meta } = await denoiseV2(scene, '[pan left, tilt up, orbit right, truck left] handheld', { motion: 1, frames: 72 });
    expect(framesOutside(scene, plan)).toEqual([]);
    expect(meta.framing.budget).toBeLessThan(1);
    expect(ctx.warnings.some((w) => /room for \d+% of this camera move/.test(w.message))).toBe(true);
  });

  it('a Camera Path is sized by the v2 calibration and framed inside the photo', async () => {
    const { model, textEncoder } = parallaxV2Bundle;
    const ctx = createTestCtx(createServices([]));
    const camera = cameraFromSpec(
      CameraPathSchema.parse({
        moves: [
          { type: 'pan_right', intensity: 0.5 },
          { type: 'pull_out', intensity: 0.5 },
        ],
      }),
    );
    const { sceneToLatent } = await import('../../packages/nodes/src/i2v/parallax/scene.js');
    const video = await model.denoise(ctx, {
      image: sceneToLatent(scene),
      positive: await textEncoder.encode(ctx, ''),
      camera,
      frames: 48,
      fps: 24,
      steps: 1,
      cfg: 1,
      seed: 1,
      sampler: 'default',
      scheduler: 'default',
      motion: 0.5,
    });
    const plan = video.meta.video as VideoPlan;
    expect(framesOutside(scene, plan)).toEqual([]);
    expect(Math.abs(travel(plan, 10).x)).toBeGreaterThan(0.06);
  });

  it('frame 0 is the photo for moves that start from it; a pull out ends on the photo instead', async () => {
    const identity: CameraPose = { position: [0, 0, 0], rotation: [0, 0, 0], fov: 45 };
    for (const prompt of ['slow push in, slow truck left', 'pan right', 'orbit left', 'handheld']) {
      const { plan } = await denoiseV2(scene, prompt);
      expect(plan.poses[0], prompt).toEqual(identity);
    }
    const { plan } = await denoiseV2(scene, 'pull out');
    expect(plan.poses[plan.frames - 1]).toEqual(identity);
    expect(endScale(plan, 1.5)).toBeLessThan(1 / 1.12);
  });

  it('framing "beyond" lets a pull out reveal the margin, as asked', async () => {
    const { plan, meta } = await denoiseV2(scene, 'pull out', { framing: 'beyond', frames: 48 });
    expect(meta.framing.policy).toBe('margin');
    expect(plan.poses[0]).toEqual({ position: [0, 0, 0], rotation: [0, 0, 0], fov: 45 });
    expect(framesOutside(scene, plan, 47)).toEqual([47]);
  });
});

describe('builtin/parallax-v2: camera sequences, tracking, negative prompts', () => {
  it('"[Push in] then [Pull out]" plays in order instead of cancelling', async () => {
    const { plan } = await denoiseV2(scene, '[Push in] then [Pull out]');
    const mid = scaleAt(plan.poses[0], plan.poses[Math.round((plan.frames - 1) / 2)], W / 2, H / 2, 1.5, W, H);
    expect(mid).toBeGreaterThan(1.12);
    expect(endScale(plan, 1.5)).toBeCloseTo(1, 2);
  });

  it('"pan left then tilt up": the pan first, then the tilt', async () => {
    const { plan } = await denoiseV2(scene, 'pan left then tilt up');
    const half = Math.round((plan.frames - 1) / 2);
    const p0 = projectPoint(plan.poses[0], W / 2, H / 2, 10, W, H);
    const pm = projectPoint(plan.poses[half], W / 2, H / 2, 10, W, H);
    const p1 = projectPoint(plan.poses[plan.frames - 1], W / 2, H / 2, 10, W, H);
    expect(Math.abs(pm[0] - p0[0])).toBeGreaterThan(0.06 * W);
    expect(Math.abs(pm[1] - p0[1])).toBeLessThan(0.02 * H);
    expect(Math.abs(p1[1] - pm[1])).toBeGreaterThan(0.06 * H);
  });

  it('tracking alongside the subject keeps it in place while the background slides', async () => {
    const { plan } = await denoiseV2(scene, 'the camera tracks alongside her', { frames: 48 });
    expect(plan.render?.followSubject).toBe(true);
    const r = new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed, W, H, plan.render);
    const a = luma(r.render(plan.poses[0], 0), W, H);
    const b = luma(r.render(plan.poses[47], 2), W, H);
    const fg = regionShift(a, b, W, H, [140, 80, 180, 112], 12);
    const bg = regionShift(a, b, W, H, [12, 20, 80, 50], 12);
    expect(Math.abs(fg.dx)).toBeLessThan(1.5);
    expect(Math.abs(bg.dx)).toBeGreaterThan(2);
  });

  it('with the default negative prompt and cfg 3, "[Zoom in]" keeps its size and "[Pan left]" is not doubled', async () => {
    const negative = 'shaky camera, fast zoom, flicker, distortion';
    const zoom = await denoiseV2(scene, '[Zoom in]');
    const zoomNeg = await denoiseV2(scene, '[Zoom in]', { negative, cfg: 3 });
    expect(endScale(zoomNeg.plan, 10)).toBeCloseTo(endScale(zoom.plan, 10), 6);
    expect(endScale(zoomNeg.plan, 10)).toBeGreaterThan(1.12);
    expect(zoomNeg.ctx.warnings.some((w) => w.message.includes('negative prompt names zoom in'))).toBe(true);
    const pan = await denoiseV2(scene, '[Pan left]');
    const panNeg = await denoiseV2(scene, '[Pan left]', { negative, cfg: 3 });
    expect(travel(panNeg.plan, 10).x).toBeCloseTo(travel(pan.plan, 10).x, 6);
    expect(panNeg.ctx.warnings).toEqual([]);
  });

  it('"don\'t zoom" rules the zoom out', async () => {
    const { plan } = await denoiseV2(scene, "don't zoom, truck right");
    expect(plan.poses[plan.frames - 1].position[0]).toBeGreaterThan(0);
    const still = await denoiseV2(scene, "don't zoom");
    expect(still.plan.poses.every((p) => p.fov === 45 && p.position.every((v) => v === 0))).toBe(true);
  });

  it('shake: "the camera shakes" wobbles visibly (and the same way for every seed)', async () => {
    const a = await denoiseV2(scene, 'the camera shakes', { seed: 1 });
    const b = await denoiseV2(scene, 'the camera shakes', { seed: 2 });
    expect(b.plan.poses).toEqual(a.plan.poses);
    const yaw = Math.max(...a.plan.poses.map((p) => Math.abs(p.rotation[0])));
    expect(yaw).toBeGreaterThan(0.4);
  });
});
