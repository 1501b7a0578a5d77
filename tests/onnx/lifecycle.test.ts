import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxModel } from '../../packages/nodes/src/onnx/onnx-model.js';
import { OnnxFolderProvider } from '../../packages/nodes/src/onnx/provider.js';
import { buildModels, ctx, encodeFor, request, type ModelsFixture } from './helpers.js';

let fx: ModelsFixture;
beforeAll(async () => {
  fx = await buildModels();
});
afterAll(() => fx.cleanup());

const modelOf = (bundle: { model: unknown }) => (bundle.model as { model: OnnxModel }).model;

describe('session lifecycle', () => {
  it('opens every session on load, closes them when idle, reopens on the next use', async () => {
    const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'cpu', idleMs: 150 });
    const bundle = (await provider.load('video/tiny-flow'))!;
    const model = modelOf(bundle);
    expect(model.openSessions).toBe(4); // VAE encoder and decoder, text encoder, denoiser
    await new Promise((r) => setTimeout(r, 400));
    expect(model.openSessions).toBe(0);
    const { image, positive } = await encodeFor(bundle);
    const latent = await bundle.model.denoise(ctx(), request({ image, positive }));
    // It ran with every session closed before: they were reopened on demand.
    expect(latent.tensors.samples.shape[0]).toBe(4);
    expect(model.stats.denoiser!.calls).toBeGreaterThan(0);
    await provider.unloadAll();
    expect(model.openSessions).toBe(0);
  });

  it('returns the same bundle for an unchanged folder, a fresh one when the folder changed', async () => {
    const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'cpu', idleMs: 0 });
    const a = await provider.load('video/tiny-edm');
    const b = await provider.load('video/tiny-edm');
    expect(b).toBe(a);
    await provider.unloadAll();
  });
});
