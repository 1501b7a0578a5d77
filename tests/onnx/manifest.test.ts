import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@kinegraph/graph-core';
import { ManifestSchema } from '../../packages/nodes/src/onnx/manifest.js';
import { OnnxFolderProvider } from '../../packages/nodes/src/onnx/provider.js';
import { writeEdmTestModel, writeFlowTestModel } from '../../packages/nodes/src/onnx/testing/test-models.js';
import { buildModels, type ModelsFixture } from './helpers.js';

let fx: ModelsFixture;
beforeAll(async () => {
  fx = await buildModels();
});
afterAll(() => fx.cleanup());

async function editManifest(dir: string, edit: (m: any) => void) {
  const file = path.join(dir, 'model.json');
  const m = JSON.parse(await readFile(file, 'utf8'));
  edit(m);
  await writeFile(file, JSON.stringify(m));
}

async function loadError(name: string): Promise<UserError> {
  const provider = new OnnxFolderProvider({ modelsDir: fx.root, executionProvider: 'cpu' });
  const error = await provider.load(`video/${name}`).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('model.json validation', () => {
  it('fills interface defaults so a manifest names only what differs', async () => {
    const m = ManifestSchema.parse(JSON.parse(await readFile(path.join(fx.root, 'video/tiny-flow/model.json'), 'utf8')));
    expect(m.components.denoiser.inputs.sample).toBe('sample');
    expect(m.components.textEncoder!.inputs.inputIds).toBe('input_ids');
    expect(m.sigma).toEqual({ min: 0.002, max: 700, data: 1 });
  });

  it('rejects family rules: an edm-video model without image encoder, a flow model predicting eps', () => {
    const bad = {
      format: 'kinegraph-video-model',
      version: 1,
      title: 't',
      family: 'edm-video',
      prediction: 'flow',
      latent: { channels: 4, spatialCompression: 8 },
      components: { vaeEncoder: { file: 'a.onnx' }, vaeDecoder: { file: 'b.onnx' }, denoiser: { file: 'c.onnx' } },
    };
    const r = ManifestSchema.safeParse(bad);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['prediction', 'components.imageEncoder', 'components.denoiser.inputs.addedTimeIds']));
  });

  it('rejects file names that leave the model folder', () => {
    const parsed = ManifestSchema.safeParse({
      format: 'kinegraph-video-model',
      version: 1,
      title: 't',
      family: 'flow-video',
      prediction: 'flow',
      latent: { channels: 4, spatialCompression: 8 },
      components: {
        vaeEncoder: { file: '../../etc/passwd' },
        vaeDecoder: { file: 'b.onnx' },
        denoiser: { file: 'c.onnx' },
        textEncoder: { file: 't.onnx' },
      },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].path.join('.')).toBe('components.vaeEncoder.file');
  });
});

describe('loading a broken model folder gives a clear error', () => {
  it('names the missing file', async () => {
    const built = await writeEdmTestModel(fx.root, 'broken-missing');
    await rm(path.join(built.dir, 'unet.onnx'));
    const e = await loadError('broken-missing');
    expect(e.message).toContain('broken-missing');
    expect(e.message).toContain('components.denoiser.file names "unet.onnx", which is not in the model folder');
  });

  it('names the file and tensor when a tensor name does not match', async () => {
    const built = await writeFlowTestModel(fx.root, 'broken-tensor');
    await editManifest(built.dir, (m) => (m.components.denoiser.inputs.context = 'text_states'));
    const e = await loadError('broken-tensor');
    expect(e.message).toContain('transformer.onnx has no input tensor "text_states" (model.json components.denoiser.inputs.context)');
    expect(e.message).toContain('its inputs are: sample, timestep, encoder_hidden_states');
  });

  it('names an input the model needs that the manifest does not', async () => {
    const built = await writeEdmTestModel(fx.root, 'broken-camera', { camera: true });
    await editManifest(built.dir, (m) => {
      m.conditioning.camera = false;
      delete m.components.denoiser.inputs.cameraExtrinsics;
      delete m.components.denoiser.inputs.cameraIntrinsics;
    });
    const e = await loadError('broken-camera');
    expect(e.message).toContain(
      'unet.onnx needs inputs "camera_extrinsics", "camera_intrinsics" that model.json components.denoiser.inputs does not name',
    );
  });

  it('names a precision mismatch', async () => {
    const built = await writeEdmTestModel(fx.root, 'broken-precision', { precision: 'fp16' });
    await editManifest(built.dir, (m) => (m.precision = 'fp32'));
    const e = await loadError('broken-precision');
    expect(e.message).toMatch(
      /input "pixel_values" is float16, model.json \(precision\) says float32|is float16, model.json \(precision\) says float32/,
    );
  });

  it('names a file that is not ONNX', async () => {
    const built = await writeEdmTestModel(fx.root, 'broken-format');
    await writeFile(path.join(built.dir, 'vae_decoder.onnx'), 'this is not a protobuf\n');
    const e = await loadError('broken-format');
    expect(e.message).toContain('"vae_decoder.onnx" (model.json components.vaeDecoder) is not a valid ONNX model');
  });

  it('names the field of an invalid manifest, and leaves the folder out of the list', async () => {
    const built = await writeEdmTestModel(fx.root, 'broken-manifest');
    await editManifest(built.dir, (m) => (m.latent.channels = 'four'));
    const e = await loadError('broken-manifest');
    expect(e.message).toMatch(/^broken-manifest: model\.json: latent\.channels: /);
    const ids = (await fx.provider.list()).map((i) => i.id);
    expect(ids).not.toContain('video/broken-manifest');
    expect(ids).toContain('video/broken-missing'); // a valid manifest is listed; its files are checked on load
  });

  it("is not this provider's model: returns undefined for other ids", async () => {
    expect(await fx.provider.load('builtin/parallax-v1')).toBeUndefined();
    expect(await fx.provider.load('video/../secrets')).toBeUndefined();
    expect(await fx.provider.load('video/none-such')).toBeUndefined();
  });
});
