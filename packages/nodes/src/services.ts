import { serviceToken } from '@kinegraph/graph-core';
import type { ModelBundle, ModelInfo } from './model/handles.js';

/** Folders the host gives nodes. Nodes never build paths from user text without `resolveInput`. */
export interface PathsService {
  inputDir: string;
  outputDir: string;
  tempDir: string;
  /** Resolves a file name from a parameter inside inputDir (or an absolute path the host allows, for the CLI); throws a UserError for anything outside. */
  resolveInput(name: string): string;
}
export const PathsToken = serviceToken<PathsService>('paths');

export interface ModelRegistryService {
  list(): Promise<ModelInfo[]>;
  info(id: string): Promise<ModelInfo>;
  load(id: string, signal?: AbortSignal): Promise<ModelBundle>;
}
export const ModelRegistryToken = serviceToken<ModelRegistryService>('models');
