import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createServices } from '@kinegraph/graph-core';
import { parallaxV2Bundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { ParallaxRenderer } from '../../packages/nodes/src/i2v/parallax/render/renderer.js';
import { latentToScene, type ParallaxScene } from '../../packages/nodes/src/i2v/parallax/scene.js';
import type { VideoPlan } from '../../packages/nodes/src/i2v/parallax/video-source.js';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { ImageValue } from '../../packages/nodes/src/values/image.js';
import type { LatentValue } from '../../packages/nodes/src/values/latent.js';
import { photoPath } from './helpers/photos.js';
import { denoiseV2 } from './helpers/v2-run.js';

/**
 * builtin/parallax-v2 on real photos of people (`.testdata/photos`, fetched by fetch-photos.sh; skipped
 * without them): the person from the learned matte is one layer that moves as one piece under the camera,
 * moves as a person when asked (faces rigid), never ripples, and no frame looks outside the photo.
 */
const PORTRAIT = photoPath('people/grace_hopper');
const PLAYER = photoPath('people/messi5');
const LANDSCAPE = photoPath('Kite');
const CAMERA = ['push in', 'orbit left around her', 'pan right'];

async function encode(file: string): Promise<{ latent: LatentValue; scene: ParallaxScene }> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const ctx = createTestCtx(createServices([]));
  const latent = await parallaxV2Bundle.vae.encode(
    ctx,
    new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
    { width: 1280, height: 720, resizeMode: 'crop' },
  );
  return { latent, scene: latentToScene(latent) };
}

type Internals = {
  computeGrid(pose: unknown, t: number): boolean;
  fgX: Float32Array;
  fgY: Float32Array;
  gw: number;
  gh: number;
  G: number;
  field: { displace(x: number, y: number, d: number, t: number, gain: boolean, out: Float64Array): void };
};

/** The subject layer's sampling grid of one frame: output pixel (x, y) -> layer (photo) coordinates. */
function layerGrid(s: ParallaxScene, plan: VideoPlan, frame: number) {
  const r = new ParallaxRenderer(s, s.background, plan.ambient, plan.seed, s.width, s.height, plan.render) as unknown as Internals;
  r.computeGrid(plan.poses[frame], frame / plan.fps);
  const points: Array<{ x: number; y: number; u: number; v: number }> = [];
  for (let gy = 0; gy < r.gh; gy++) {
    for (let gx = 0; gx < r.gw; gx++) {
      const x = gx * r.G + 0.5;
      const y = Math.min(gy * r.G, s.height - 1 + r.G) + 0.5;
      if (x > s.width || y > s.height) continue;
      points.push({ x, y, u: r.fgX[gy * r.gw + gx], v: r.fgY[gy * r.gw + gx] });
    }
  }
  return points;
}

const matteAt = (s: ParallaxScene, u: number, v: number) => {
  const x = Math.round(u);
  const y = Math.round(v);
  return x < 0 || y < 0 || x >= s.width || y >= s.height ? 0 : s.matte[y * s.width + x] / 255;
};

/** Largest residual (px) of the best affine fit (least squares) of layer coordinates against output pixels. */
function affineResidual(points: Array<{ x: number; y: number; u: number; v: number }>): number {
  // Normal equations for [x y 1] -> u and -> v.
  const A = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const bu = [0, 0, 0];
  const bv = [0, 0, 0];
  for (const p of points) {
    const row = [p.x, p.y, 1];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) A[i * 3 + j] += row[i] * row[j];
      bu[i] += row[i] * p.u;
      bv[i] += row[i] * p.v;
    }
  }
  const cu = solve3(A, bu);
  const cv = solve3(A, bv);
  let worst = 0;
  for (const p of points) {
    const du = cu[0] * p.x + cu[1] * p.y + cu[2] - p.u;
    const dv = cv[0] * p.x + cv[1] * p.y + cv[2] - p.v;
    worst = Math.max(worst, Math.hypot(du, dv));
  }
  return worst;
}

function solve3(A: number[], b: number[]): number[] {
  const m = [0, 1, 2].map((i) => [A[i * 3], A[i * 3 + 1], A[i * 3 + 2], b[i]]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k < 4; k++) m[r][k] -= f * m[c][k];
    }
  }
  return [m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]];
}

/** Frames whose background sampling reaches outside the photo. */
function framesOutside(s: ParallaxScene, plan: VideoPlan): number[] {
  const r = new ParallaxRenderer(s, s.background, plan.ambient, plan.seed, s.width, s.height, plan.render);
  const bad: number[] = [];
  for (let i = 0; i < plan.frames; i++) {
    const e = r.sourceExtent(plan.poses[i], i / plan.fps);
    if (e.minX < s.pad - 1e-3 || e.minY < s.pad - 1e-3 || e.maxX > s.pad + s.width - 1 + 1e-3 || e.maxY > s.pad + s.height - 1 + 1e-3)
      bad.push(i);
  }
  return bad;
}

describe.skipIf(!PORTRAIT || !PLAYER || !LANDSCAPE)('builtin/parallax-v2: people', () => {
  it('takes the person from the learned matte as the subject layer, with the face on it; none in a landscape', async () => {
    for (const file of [PORTRAIT!, PLAYER!]) {
      const { scene } = await encode(file);
      expect(scene.person, file).toBe(true);
      expect(scene.faces?.length, file).toBeGreaterThanOrEqual(1);
      expect(scene.subjectDepth).toBeGreaterThan(0);
      // The face box lies on the matte.
      const [x0, y0, x1, y1] = scene.faces![0];
      expect(matteAt(scene, (x0 + x1) / 2, (y0 + y1) / 2)).toBeGreaterThan(0.9);
    }
    const { scene } = await encode(LANDSCAPE!);
    expect(scene.person).toBeUndefined();
  });

  it('under camera moves the person layer moves as one piece: one affine motion within 0.5 px', async () => {
    for (const file of [PORTRAIT!, PLAYER!]) {
      const { latent, scene } = await encode(file);
      for (const prompt of CAMERA) {
        const { plan } = await denoiseV2(latent, prompt, { frames: 48 });
        for (const frame of [24, 47]) {
          const inside = layerGrid(scene, plan, frame).filter((p) => matteAt(scene, p.u, p.v) > 0.5);
          expect(inside.length).toBeGreaterThan(50);
          expect(affineResidual(inside), `${file} ${prompt} frame ${frame}`).toBeLessThan(0.5);
        }
      }
    }
  });

  it('asked to breathe, turn the head and lift the hair, the person moves, the face stays rigid', async () => {
    const { latent, scene } = await encode(PORTRAIT!);
    const { plan, ctx } = await denoiseV2(latent, 'she breathes softly, she turns her head, her hair lifting in the breeze', {
      frames: 96,
    });
    expect(ctx.warnings).toEqual([]);
    const [x0, y0, x1, y1] = scene.faces![0];
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    let moved = 0;
    for (const frame of [30, 60, 95]) {
      const points = layerGrid(scene, plan, frame);
      // Inside the face box (its inner 80%): one translation (with the static camera, the layer is the photo's own frame).
      const face = points.filter((p) => Math.abs(p.x - cx) < 0.4 * (x1 - x0) && Math.abs(p.y - cy) < 0.4 * (y1 - y0));
      expect(face.length).toBeGreaterThan(20);
      expect(affineResidual(face), `frame ${frame}`).toBeLessThan(0.5);
      // The person as a whole does not move as one piece any more (breathing, the head, the hair).
      const person = points.filter((p) => matteAt(scene, p.u, p.v) > 0.5);
      moved = Math.max(moved, affineResidual(person));
    }
    expect(moved).toBeGreaterThan(1);
  });

  it('ambient motion never ripples a person: no displacement inside the person matte', async () => {
    const { latent, scene } = await encode(PLAYER!);
    const { plan } = await denoiseV2(
      latent,
      'the crowd cheers, wind in the grass, waves roll, clouds drift left, shimmering light, mist rising',
      { frames: 48 },
    );
    const r = new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed) as unknown as Internals;
    const off = new Float64Array(3);
    let checked = 0;
    for (let y = 0; y < scene.height; y += 6) {
      for (let x = 0; x < scene.width; x += 6) {
        if (matteAt(scene, x, y) < 0.5) continue;
        for (const t of [0.7, 1.3, 1.9]) {
          r.field.displace(x, y, 5, t, true, off);
          expect(Math.hypot(off[0], off[1])).toBeLessThan(1e-6);
          expect(Math.abs(off[2] - 1)).toBeLessThan(1e-6);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('at default settings no frame shows a pixel from outside the photo, with people moving too', async () => {
    for (const file of [PORTRAIT!, PLAYER!]) {
      const { latent, scene } = await encode(file);
      for (const prompt of [...CAMERA, 'she breathes, her hair blowing, slow push in']) {
        const { plan } = await denoiseV2(latent, prompt, { frames: 72 });
        expect(framesOutside(scene, plan), `${file} ${prompt}`).toEqual([]);
      }
    }
  });

  it('warns when a subject motion is asked and no subject was found', async () => {
    const { latent } = await encode(LANDSCAPE!);
    const { ctx } = await denoiseV2(latent, 'she breathes softly, her hair blowing, slow push in', { frames: 24 });
    expect(ctx.warnings.some((w) => /no subject \(no person\) was found/.test(w.message))).toBe(true);
  });
});
