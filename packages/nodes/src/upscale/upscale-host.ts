import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { serviceToken } from '@kinegraph/graph-core';
import type { ModelInfo, ModelProvider } from '../model/handles.js';
import type { ProviderChoice } from '../onnx/execution-provider.js';
import { BUILTIN_UPSCALE_MODELS, builtinUpscaleSpec } from './builtin-models.js';
import { QUANTIZED_UPSCALE_MODELS } from './quantized-models.js';

/** What the host tells the upscale nodes: its models folder (for models/upscale/*.onnx) and the execution provider. */
export interface UpscaleHostService {
  modelsDir?: string;
  executionProvider?: ProviderChoice;
}
export const UpscaleHostToken = serviceToken<UpscaleHostService>('upscale-host');

/** The ONNX files in `<modelsDir>/upscale/` (names only; they are checked when loaded). */
export async function userUpscaleFiles(modelsDir: string | undefined): Promise<string[]> {
  if (!modelsDir) return [];
  try {
    return (await readdir(path.join(modelsDir, 'upscale'), { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.onnx'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Lists the upscale models (kind "upscale") for the editor's model picker and GET /api/models. It loads
 * nothing through the video-model registry: LoadUpscaleModel opens them itself.
 */
export function upscaleModelProvider(o: { modelsDir?: string }): ModelProvider {
  return {
    async list(): Promise<ModelInfo[]> {
      const builtins = BUILTIN_UPSCALE_MODELS.map((m) => ({
        id: m.id,
        kind: 'upscale' as const,
        family: m.family,
        title: `${m.family} ${m.scale}x`,
        description: `${m.packageName}@${m.version}, built in`,
        hash: m.sha256['model.json'],
        samplers: [],
        schedulers: [],
      }));
      const quantized = QUANTIZED_UPSCALE_MODELS.map((q) => {
        const base = builtinUpscaleSpec(q.base)!;
        return {
          ...builtins.find((b) => b.id === q.base)!,
          id: q.id,
          title: `${base.family} ${base.scale}x int8`,
          description: `${base.packageName}@${base.version}, built in, int8 (about 2x faster on a CPU)`,
        };
      });
      const files = (await userUpscaleFiles(o.modelsDir)).map((name) => ({
        id: `upscale/${name}`,
        kind: 'upscale' as const,
        family: 'onnx',
        title: name,
        description: 'ONNX upscaler from the models folder',
        hash: '',
        samplers: [],
        schedulers: [],
      }));
      return [...builtins, ...quantized, ...files];
    },
    async load() {
      return undefined;
    },
  };
}
