import { createServices, type Logger, type Services } from '@kinegraph/graph-core';
import { builtinModelProviders } from '../i2v/index.js';
import { createModelRegistry, type ModelRegistry } from '../model/registry.js';
import { onnxModelProviders } from '../onnx/index.js';
import { ModelCacheToken } from '../perception/converter/model-cache.js';
import { KeyFoldersToken, type KeyFolder } from '../minimax/key.js';
import { ModelRegistryToken, PathsToken, type PathsService } from '../services.js';
import { UpscaleHostToken, upscaleModelProvider } from '../upscale/upscale-host.js';
import { createFileHasher } from './hash-file.js';
import { resolveInputPath } from './resolve-input.js';

export interface HostOptions {
  inputDir: string;
  outputDir: string;
  tempDir: string;
  modelsDir: string;
  /** More folders searched for relative input names after inputDir (the CLI: the workflow's folder, the cwd). */
  searchDirs?: string[];
  /** Only the CLI: a workflow may name any absolute path on the user's own machine. */
  allowAbsolutePaths?: boolean;
  executionProvider?: 'auto' | 'cpu' | 'webgpu';
  log?: Logger;
  /** Where converted models are kept between runs (the server: `<data>/cache/models`); default: the OS temp dir. */
  modelCacheDir?: string;
  /** Folders that may hold API key files such as minimax.key, first to last (default: the user's config folder). */
  keyFolders?: KeyFolder[];
}

export type HostServices = Services & {
  readonly paths: PathsService;
  readonly models: ModelRegistry;
  /** Content hash of an input file named by a node parameter (the engine's `hashFile` option). */
  hashFile(ref: string): Promise<string>;
};

/** The services every host (CLI, server, tests) gives nodes: folders and the model registry. */
export function createHostServices(o: HostOptions): HostServices {
  const paths: PathsService = {
    inputDir: o.inputDir,
    outputDir: o.outputDir,
    tempDir: o.tempDir,
    resolveInput: (name) =>
      resolveInputPath(name, { inputDir: o.inputDir, searchDirs: o.searchDirs, allowAbsolutePaths: o.allowAbsolutePaths }),
  };
  const models = createModelRegistry([
    ...builtinModelProviders(),
    ...onnxModelProviders({ modelsDir: o.modelsDir, executionProvider: o.executionProvider, log: o.log }),
    upscaleModelProvider({ modelsDir: o.modelsDir }),
  ]);
  const services = createServices([
    [PathsToken, paths],
    [ModelRegistryToken, models],
    [UpscaleHostToken, { modelsDir: o.modelsDir, executionProvider: o.executionProvider }],
    ...(o.modelCacheDir ? ([[ModelCacheToken, { dir: o.modelCacheDir }]] as const) : []),
    ...(o.keyFolders ? ([[KeyFoldersToken, o.keyFolders]] as const) : []),
  ]);
  const hashFile = createFileHasher(paths.resolveInput);
  return { get: services.get.bind(services), has: services.has.bind(services), paths, models, hashFile };
}
