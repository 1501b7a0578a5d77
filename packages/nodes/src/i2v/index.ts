import type { NodeDefinition } from '@kinegraph/graph-core';
import type { ModelProvider } from '../model/handles.js';

/** The image-to-video nodes (LoadModel, EncodeImage, EncodePrompt, CameraPath, Denoise, DecodeVideo). */
export const i2vNodes: NodeDefinition<any>[] = [];

/** Model providers that are always there (builtin/parallax-v1). */
export function builtinModelProviders(): ModelProvider[] {
  return [];
}
