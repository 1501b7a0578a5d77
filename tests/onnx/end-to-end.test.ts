import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError } from '@kinegraph/graph-core';
import type { OnnxModel } from '../../packages/nodes/src/onnx/onnx-model.js';
import type { LatentValue } from '../../packages/nodes/src/values/latent.js';
import { buildModels, ctx, encodeFor, panCamera, request, testImage, type ModelsFixture } from './helpers.js';

let fx: ModelsFixture;
beforeAll(async () => {
  fx = await buildModels();
});
afterAll(() => fx.cleanup());

function modelOf(bundle: { model: unknown }): OnnxModel {
  return (bundle.model as { model: OnnxModel }).model;
}

function samples(l: LatentValue): Float32Array {
  return l.tensors.samples.data as Float32Array;
}

describe('listing', () => {
  it('lists every test model folder with its family and samplers', async () => {
    const infos = await fx.provider.list();
    expect(infos.map((i) => i.id)).toEqual([
      'video/tiny-edm',
      'video/tiny-edm-camera',
      'video/tiny-edm-fp16',
      'video/tiny-flow',
      'video/tiny-flow-fp16',
    ]);
    const flow = infos.find((i) => i.id === 'video/tiny-flow')!;
    expect(flow.family).toBe('flow-video');
    expect(flow.samplers[0]).toBe('flow_euler');
    expect(flow.schedulers).toContain('flow_shift');
    expect(flow.hash).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe.each(['tiny-edm', 'tiny-flow'])('%s end to end on the CPU provider', (name) => {
  it('encodes, samples a LATENT with progress and previews, and decodes a video', async () => {
    const bundle = (await fx.provider.load(`video/${name}`))!;
    const { image, positive } = await encodeFor(bundle);
    const c = ctx();
    const frames = name === 'tiny-edm' ? 6 : 9;
    const latent = await bundle.model.denoise(c, request({ image, positive }, { frames, steps: 5 }));
    expect(latent.kind).toBe('latent');
    const edm = name === 'tiny-edm';
    expect(latent.tensors.samples.shape).toEqual(edm ? [6, 4, 6, 8] : [4, 3, 6, 8]);
    expect(samples(latent).every(Number.isFinite)).toBe(true);
    expect(c.progressLog.map((p) => p.value)).toEqual([1, 2, 3, 4, 5]);
    expect(c.progressLog.at(-1)!.preview?.mime).toBe('image/jpeg');
    expect(c.progressLog.at(-1)!.preview!.data.length).toBeGreaterThan(100);
    if (!edm) {
      // First-frame conditioning: latent frame 0 is the image latent, exactly.
      const img = image.tensors.samples.data as Float32Array;
      const out = samples(latent);
      const plane = 48;
      for (let ch = 0; ch < 4; ch++)
        expect([...out.subarray(ch * 3 * plane, ch * 3 * plane + plane)]).toEqual([...img.subarray(ch * plane, (ch + 1) * plane)]);
    }
    const video = await bundle.vae.decode(c, latent);
    expect([video.width, video.height, video.frameCount, video.fps]).toEqual([64, 48, frames, 7]);
    const first = await video.frameAt(0);
    const last = await video.frameAt(frames - 1);
    expect(first.length).toBe(64 * 48 * 3);
    expect(last.length).toBe(64 * 48 * 3);
    expect(Buffer.from(first).equals(Buffer.from(last))).toBe(false);
  });

  it('gives identical bytes for the same seed and different ones for another seed', async () => {
    const bundle = (await fx.provider.load(`video/${name}`))!;
    const { image, positive } = await encodeFor(bundle);
    const frames = name === 'tiny-edm' ? 4 : 5;
    const run = async (seed: number, sampler: string) =>
      samples(await bundle.model.denoise(ctx(), request({ image, positive }, { frames, seed, sampler })));
    for (const sampler of ['euler_ancestral', 'dpmpp_2m_sde']) {
      const a = await run(7, sampler);
      const b = await run(7, sampler);
      const other = await run(8, sampler);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      expect(Buffer.from(a.buffer).equals(Buffer.from(other.buffer))).toBe(false);
    }
  });

  it('runs one model call per step: cond and uncond batched, and cfg 1 skips uncond', async () => {
    const bundle = (await fx.provider.load(`video/${name}`))!;
    const model = modelOf(bundle);
    const { image, positive } = await encodeFor(bundle);
    const frames = name === 'tiny-edm' ? 4 : 5;
    const callsFor = async (cfg: number) => {
      const before = model.stats.denoiser?.calls ?? 0;
      const latent = await bundle.model.denoise(ctx(), request({ image, positive }, { frames, cfg, steps: 6, sampler: 'euler' }));
      return { calls: (model.stats.denoiser?.calls ?? 0) - before, latent };
    };
    const guided = await callsFor(3);
    const plain = await callsFor(1);
    expect(guided.calls).toBe(6);
    expect(plain.calls).toBe(6);
    expect(samples(guided.latent)).not.toEqual(samples(plain.latent));
  });

  it('heun calls the model twice per step except the last', async () => {
    const bundle = (await fx.provider.load(`video/${name}`))!;
    const model = modelOf(bundle);
    const { image, positive } = await encodeFor(bundle);
    const before = model.stats.denoiser?.calls ?? 0;
    await bundle.model.denoise(ctx(), request({ image, positive }, { frames: name === 'tiny-edm' ? 3 : 5, steps: 4, sampler: 'heun' }));
    expect((model.stats.denoiser?.calls ?? 0) - before).toBe(7);
  });

  it('stops between steps when the run is interrupted', async () => {
    const bundle = (await fx.provider.load(`video/${name}`))!;
    const { image, positive } = await encodeFor(bundle);
    const c = ctx();
    const progress = c.progress.bind(c);
    c.progress = (value, max, preview) => {
      if (value === 2) c.controller.abort();
      progress(value, max, preview);
    };
    await expect(bundle.model.denoise(c, request({ image, positive }, { steps: 8 }))).rejects.toBeInstanceOf(AbortError);
    expect(c.progressLog.length).toBe(2);
  });
});

describe('fp16 models', () => {
  it.each(['tiny-edm', 'tiny-flow'])('%s-fp16 matches its fp32 twin within half-precision error', async (name) => {
    const full = (await fx.provider.load(`video/${name}`))!;
    const half = (await fx.provider.load(`video/${name}-fp16`))!;
    const a = await encodeFor(full);
    const b = await encodeFor(half);
    const frames = name === 'tiny-edm' ? 4 : 5;
    const x = samples(await full.model.denoise(ctx(), request(a, { frames, sampler: 'euler' })));
    const y = samples(await half.model.denoise(ctx(), request(b, { frames, sampler: 'euler' })));
    let diff = 0;
    let norm = 0;
    for (let k = 0; k < x.length; k++) ((diff += (x[k] - y[k]) ** 2), (norm += x[k] ** 2));
    const relative = Math.sqrt(diff / norm);
    expect(relative).toBeLessThan(0.02);
    expect(relative).toBeGreaterThan(0);
  });
});

describe('camera', () => {
  it('feeds per-frame extrinsics to a model that declares camera conditioning', async () => {
    const bundle = (await fx.provider.load('video/tiny-edm-camera'))!;
    const { image, positive } = await encodeFor(bundle);
    const still = await bundle.model.denoise(ctx(), request({ image, positive }));
    const panned = await bundle.model.denoise(ctx(), request({ image, positive }, { camera: panCamera() }));
    expect(panned.meta.camera).toBe('conditioning');
    expect(samples(panned)).not.toEqual(samples(still));
  });

  it('warps the start of a model without camera input along the path', async () => {
    const bundle = (await fx.provider.load('video/tiny-flow'))!;
    const { image, positive } = await encodeFor(bundle);
    const still = await bundle.model.denoise(ctx(), request({ image, positive }));
    const panned = await bundle.model.denoise(ctx(), request({ image, positive }, { camera: panCamera() }));
    expect(panned.meta.camera).toBe('warp');
    expect(samples(panned)).not.toEqual(samples(still));
  });
});

describe('chaining', () => {
  it('a video LATENT given as the image conditions on its first frame (flow: kept exactly)', async () => {
    const bundle = (await fx.provider.load('video/tiny-flow'))!;
    const { image, positive } = await encodeFor(bundle);
    const first = await bundle.model.denoise(ctx(), request({ image, positive }, { frames: 9 }));
    const second = await bundle.model.denoise(ctx(), request({ image: first, positive }, { frames: 9, seed: 5 }));
    const a = samples(first);
    const b = samples(second);
    const plane = 48;
    const frames = 3;
    for (let ch = 0; ch < 4; ch++) {
      const at = ch * frames * plane;
      expect([...b.subarray(at, at + plane)]).toEqual([...a.subarray(at, at + plane)]);
    }
    expect(b).not.toEqual(a);
  });
});

describe('encode sizes', () => {
  it('scales a size beyond the model range into it, keeping the aspect, with a warning', async () => {
    const bundle = (await fx.provider.load('video/tiny-flow'))!; // sizes 16..512, multiples of 8
    const c = ctx();
    const latent = await bundle.vae.encode(c, testImage(), { width: 1280, height: 720, resizeMode: 'crop' });
    expect([latent.meta.width, latent.meta.height]).toEqual([512, 288]);
    expect(latent.tensors.samples.shape).toEqual([4, 1, 36, 64]);
    expect(c.warnings[0].message).toContain('1280x720 became 512x288');
  });
});
