import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServices } from '@kinegraph/graph-core';
import type { DenoiseRequest, ModelBundle } from '../../packages/nodes/src/model/handles.js';
import { OnnxFolderProvider } from '../../packages/nodes/src/onnx/provider.js';
import { writeTestModels } from '../../packages/nodes/src/onnx/testing/test-models.js';
import { createTestCtx, type TestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { CameraValue, type CameraPose } from '../../packages/nodes/src/values/camera.js';
import { ImageValue } from '../../packages/nodes/src/values/image.js';

export interface ModelsFixture {
  root: string;
  provider: OnnxFolderProvider;
  cleanup(): Promise<void>;
}

export async function buildModels(): Promise<ModelsFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'kinegraph-onnx-'));
  await writeTestModels(root);
  const provider = new OnnxFolderProvider({ modelsDir: root, executionProvider: 'auto', idleMs: 0 });
  return { root, provider, cleanup: async () => (await provider.unloadAll(), await rm(root, { recursive: true, force: true })) };
}

export function ctx(): TestCtx {
  return createTestCtx(createServices([]));
}

/** A picture with structure (gradients and a disc), so encodes and warps have something to move. */
export function testImage(width = 80, height = 60): ImageValue {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const disc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (height * 0.2) ** 2;
      data[i] = Math.round((x / width) * 255);
      data[i + 1] = Math.round((y / height) * 255);
      data[i + 2] = disc ? 230 : 40;
    }
  return new ImageValue(width, height, data);
}

export function panCamera(degrees = 12): CameraValue {
  const sample = (t: number): CameraPose => ({ position: [0, 0, 0], rotation: [degrees * t, 0, 0], fov: 50 });
  return new CameraValue({ preset: 'pan_right' }, sample, `pan ${degrees}`);
}

export async function encodeFor(bundle: ModelBundle, prompt = 'the camera pans slowly left over the sea') {
  const c = ctx();
  const image = await bundle.vae.encode(c, testImage(), { width: 64, height: 48, resizeMode: 'crop' });
  const positive = await bundle.textEncoder.encode(c, prompt);
  return { image, positive };
}

export function request(base: Pick<DenoiseRequest, 'image' | 'positive'>, over: Partial<DenoiseRequest> = {}): DenoiseRequest {
  return { frames: 5, fps: 7, steps: 4, cfg: 2.5, seed: 42, sampler: 'default', scheduler: 'default', motion: 0.5, ...base, ...over };
}
