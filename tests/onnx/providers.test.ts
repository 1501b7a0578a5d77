import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OperationalError } from '@kinegraph/graph-core';
import type { OnnxModel } from '../../packages/nodes/src/onnx/onnx-model.js';
import { OnnxFolderProvider } from '../../packages/nodes/src/onnx/provider.js';
import { buildModels, ctx, encodeFor, request, type ModelsFixture } from './helpers.js';

// Built before the tests are collected: whether this machine has a WebGPU adapter decides which tests run.
const fx: ModelsFixture = await buildModels();
afterAll(() => fx.cleanup());
afterEach(() => {
  delete process.env.KINEGRAPH_ONNX_PROVIDER;
});

const modelOf = (bundle: { model: unknown }) => (bundle.model as { model: OnnxModel }).model;

async function gpuPresent(): Promise<boolean> {
  const probe = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'auto', idleMs: 0 });
  const bundle = (await probe.load('video/tiny-edm'))!;
  const providers = await modelOf(bundle).providers();
  await probe.unloadAll();
  return providers.includes('webgpu');
}
const hasGpu = await gpuPresent();

describe('execution providers', () => {
  it('auto uses WebGPU where an adapter exists, else the CPU, and says which in the log', async () => {
    const lines: string[] = [];
    const log = { debug() {}, info: (m: string) => lines.push(m), warn() {}, error() {} };
    const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'auto', idleMs: 0, log });
    const bundle = (await provider.load('video/tiny-edm'))!;
    const used = await modelOf(bundle).providers();
    expect(used.length).toBe(1);
    expect(lines.some((l) => l.startsWith('onnx: loaded video/tiny-edm'))).toBe(true);
    await provider.unloadAll();
  });

  // On a GPU machine the explicit choice simply works (the WebGPU-against-CPU tests below cover it).
  it.skipIf(hasGpu)("'webgpu' without an adapter is an operational error, not a broken model", async () => {
    const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'webgpu', idleMs: 0 });
    const error = await provider.load('video/tiny-edm').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationalError);
    expect((error as Error).message).toContain('The WebGPU execution provider is not available here');
  });

  it('KINEGRAPH_ONNX_PROVIDER overrides the host choice', async () => {
    process.env.KINEGRAPH_ONNX_PROVIDER = 'cpu';
    const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'webgpu', idleMs: 0 });
    const bundle = (await provider.load('video/tiny-flow'))!;
    expect(await modelOf(bundle).providers()).toEqual(['cpu']);
    await provider.unloadAll();
  });
});

describe('classifier-free guidance batching', () => {
  it.each(['tiny-edm', 'tiny-flow'])('%s: one batch of 2 gives the same latent as two calls', async (name) => {
    const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'cpu', idleMs: 0 });
    const bundle = (await provider.load(`video/${name}`))!;
    const model = modelOf(bundle);
    const { image, positive } = await encodeFor(bundle);
    const req = request({ image, positive }, { frames: name === 'tiny-edm' ? 4 : 5, cfg: 3, sampler: 'euler' });
    const calls0 = model.stats.denoiser?.calls ?? 0;
    const batched = (await bundle.model.denoise(ctx(), req)).tensors.samples.data as Float32Array;
    const calls1 = model.stats.denoiser!.calls;
    model.batchCfg = false;
    const separate = (await bundle.model.denoise(ctx(), req)).tensors.samples.data as Float32Array;
    const calls2 = model.stats.denoiser!.calls;
    expect(calls1 - calls0).toBe(4);
    expect(calls2 - calls1).toBe(8);
    let worst = 0;
    for (let k = 0; k < batched.length; k++) worst = Math.max(worst, Math.abs(batched[k] - separate[k]));
    expect(worst).toBeLessThan(1e-3);
    await provider.unloadAll();
  });
});

describe('WebGPU against the CPU (runs only where a WebGPU adapter exists)', () => {
  // Skipped, not passed, on a machine without a WebGPU adapter: there is no second provider to compare with.
  it.skipIf(!hasGpu).for(['tiny-edm', 'tiny-flow'])(
    '%s: the same request gives the same latent within 1e-3 (relative L2)',
    async (name) => {
      const latentOn = async (executionProvider: 'cpu' | 'webgpu') => {
        const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider, idleMs: 0 });
        const bundle = (await provider.load(`video/${name}`))!;
        expect(await modelOf(bundle).providers()).toEqual([executionProvider]);
        const { image, positive } = await encodeFor(bundle);
        const out = (await bundle.model.denoise(ctx(), request({ image, positive }, { frames: name === 'tiny-edm' ? 4 : 5 }))).tensors
          .samples.data as Float32Array;
        await provider.unloadAll();
        return out;
      };
      const cpu = await latentOn('cpu');
      const gpu = await latentOn('webgpu');
      let diff = 0;
      let norm = 0;
      for (let k = 0; k < cpu.length; k++) ((diff += (cpu[k] - gpu[k]) ** 2), (norm += cpu[k] ** 2));
      expect(Math.sqrt(diff / norm)).toBeLessThan(1e-3);
    },
  );
});
