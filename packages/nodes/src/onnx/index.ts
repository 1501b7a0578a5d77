import type { Logger } from '@kinegraph/graph-core';
import type { ModelProvider } from '../model/handles.js';
import { OnnxFolderProvider } from './provider.js';

export interface OnnxProviderOptions {
  /** The models folder; video models live in `<modelsDir>/video/<name>/model.json`. */
  modelsDir: string;
  /** 'auto' picks WebGPU where a GPU is present, the CPU otherwise. */
  executionProvider?: 'auto' | 'cpu' | 'webgpu';
  log?: Logger;
  /** Sessions close after this long unused (default 10 minutes). */
  idleMs?: number;
}

/** Model providers for ONNX model folders. */
export function onnxModelProviders(options: OnnxProviderOptions): ModelProvider[] {
  return [
    new OnnxFolderProvider({
      modelsDir: options.modelsDir,
      executionProvider: options.executionProvider ?? 'auto',
      log: options.log,
      idleMs: options.idleMs,
    }),
  ];
}

export { OnnxFolderProvider } from './provider.js';
export { ManifestSchema, type Manifest } from './manifest.js';
export { webgpuStatus } from './execution-provider.js';
export { describeAutoProvider, gpuAbsenceReason } from './gpu-presence.js';
export { describeProviderChoice } from './execution-provider.js';
