import type { Logger, NodeDefinition } from '@kinegraph/graph-core';
import type { ModelProvider } from '../model/handles.js';

export interface OnnxProviderOptions {
  /** The models folder; video models live in `<modelsDir>/video/<name>/model.json`. */
  modelsDir: string;
  /** 'auto' picks WebGPU where a GPU is present, the CPU otherwise. */
  executionProvider?: 'auto' | 'cpu' | 'webgpu';
  log?: Logger;
}

/** Model providers for ONNX model folders. */
export function onnxModelProviders(_options: OnnxProviderOptions): ModelProvider[] {
  return [];
}

/** Extra nodes the ONNX integration adds (none yet). */
export const onnxNodes: NodeDefinition<any>[] = [];
