import { OperationalError, UserError, type Logger } from '@kinegraph/graph-core';
import type { DenoiseRequest, ModelBundle, ModelInfo, ModelProvider, VideoModelHandle } from '../model/handles.js';
import type { NodeContext } from '@kinegraph/graph-core';
import type { LatentValue } from '../values/latent.js';
import { denoiseVideo } from './denoise.js';
import type { ProviderChoice } from './execution-provider.js';
import { describeFolder, scanModelFolders } from './model-folder.js';
import { OnnxModel } from './onnx-model.js';
import { OnnxTextEncoder } from './text-encoder.js';
import { OnnxVae } from './vae.js';

class OnnxVideoModelHandle implements VideoModelHandle {
  readonly kind = 'model' as const;
  constructor(
    readonly info: ModelInfo,
    readonly model: OnnxModel,
    private readonly text: OnnxTextEncoder,
  ) {}
  /** What events and logs show; handles hold sessions and timers that must never be serialised. */
  summary(): string {
    return `MODEL ${this.info.id} (${this.info.family})`;
  }
  toJSON() {
    return { kind: this.kind, id: this.info.id, hash: this.info.hash };
  }

  denoise(ctx: NodeContext, request: DenoiseRequest): Promise<LatentValue> {
    return denoiseVideo(this.model, this.info, this.text, ctx, request);
  }
}

export interface OnnxFolderProviderOptions {
  modelsDir: string;
  executionProvider: ProviderChoice;
  log?: Logger;
  /** Sessions close after this long unused (default 10 minutes). */
  idleMs?: number;
}

/**
 * The models in `<modelsDir>/video/<name>/model.json`, as ids `video/<name>`. A folder whose manifest is
 * broken is left out of the list (with a warning) and gives a clear error when loaded by id.
 */
export class OnnxFolderProvider implements ModelProvider {
  private loaded = new Map<string, { hash: string; model: OnnxModel; bundle: ModelBundle }>();

  constructor(private readonly options: OnnxFolderProviderOptions) {}

  async list(): Promise<ModelInfo[]> {
    const names = await scanModelFolders(this.options.modelsDir);
    const infos: ModelInfo[] = [];
    for (const name of names) {
      try {
        infos.push((await describeFolder(this.options.modelsDir, name)).info);
      } catch (error) {
        this.options.log?.warn(`onnx: skipping model folder video/${name}: ${(error as Error).message}`);
      }
    }
    return infos;
  }

  async load(id: string, signal?: AbortSignal): Promise<ModelBundle | undefined> {
    const match = /^video\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(id);
    if (!match) return undefined;
    const names = await scanModelFolders(this.options.modelsDir);
    if (!names.includes(match[1])) return undefined;
    const folder = await describeFolder(this.options.modelsDir, match[1]);
    const known = this.loaded.get(id);
    if (known && known.hash === folder.info.hash) {
      await known.model.load();
      return known.bundle;
    }
    await known?.model.unload();
    signal?.throwIfAborted();
    const model = new OnnxModel(folder, {
      provider: this.options.executionProvider,
      log: this.options.log,
      idleMs: this.options.idleMs ?? 600_000,
    });
    try {
      await model.load();
    } catch (error) {
      await model.unload();
      if (error instanceof UserError || error instanceof OperationalError) throw error;
      throw new UserError(`${id}: ${(error as Error).message}`, 'model', { cause: error });
    }
    const text = new OnnxTextEncoder(folder.info, model);
    const bundle: ModelBundle = {
      model: new OnnxVideoModelHandle(folder.info, model, text),
      vae: new OnnxVae(folder.info, model),
      textEncoder: text,
    };
    this.loaded.set(id, { hash: folder.info.hash, model, bundle });
    return bundle;
  }

  async unloadAll(): Promise<void> {
    for (const { model } of this.loaded.values()) await model.unload();
  }
}
