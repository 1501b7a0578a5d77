import { UserError } from '@kinegraph/graph-core';
import type { ModelBundle, ModelInfo, ModelProvider } from './handles.js';
import type { ModelRegistryService } from '../services.js';

export type ModelRegistry = ModelRegistryService & {
  /** Drops every loaded bundle and asks each provider to release its sessions. */
  unloadAll(): Promise<void>;
};

/**
 * One registry over several providers (the built-in models, the ONNX models folder). Loaded bundles are
 * kept per id, and a load already in flight is shared, so two LoadModel nodes never load twice.
 */
export function createModelRegistry(providers: ModelProvider[]): ModelRegistry {
  const loaded = new Map<string, Promise<ModelBundle>>();

  async function list(): Promise<ModelInfo[]> {
    const lists = await Promise.all(providers.map((p) => p.list()));
    const seen = new Set<string>();
    const all: ModelInfo[] = [];
    for (const info of lists.flat()) {
      if (seen.has(info.id)) continue; // the first provider wins, as in load()
      seen.add(info.id);
      all.push(info);
    }
    return all;
  }

  async function unknown(id: string): Promise<UserError> {
    const known = (await list()).map((m) => m.id);
    const listText = known.length ? known.join(', ') : 'none';
    return new UserError(`Unknown model "${id}". Available models: ${listText}`, 'model');
  }

  async function info(id: string): Promise<ModelInfo> {
    const found = (await list()).find((m) => m.id === id);
    if (!found) throw await unknown(id);
    return found;
  }

  async function loadFresh(id: string, signal?: AbortSignal): Promise<ModelBundle> {
    for (const provider of providers) {
      const bundle = await provider.load(id, signal);
      if (bundle) return bundle;
    }
    throw await unknown(id);
  }

  function load(id: string, signal?: AbortSignal): Promise<ModelBundle> {
    let pending = loaded.get(id);
    if (!pending) {
      pending = loadFresh(id, signal);
      loaded.set(id, pending);
      // A failed load is not remembered: the next try may succeed (file fixed, run not aborted).
      pending.catch(() => {
        if (loaded.get(id) === pending) loaded.delete(id);
      });
    }
    return pending;
  }

  async function unloadAll(): Promise<void> {
    loaded.clear();
    await Promise.all(providers.map((p) => p.unloadAll?.()));
  }

  return { list, info, load, unloadAll };
}
