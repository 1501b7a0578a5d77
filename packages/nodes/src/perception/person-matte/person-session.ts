import { rm } from 'node:fs/promises';
import path from 'node:path';
import { OperationalError, type Logger } from '@kinegraph/graph-core';
import type * as ort from 'onnxruntime-node';
import { createSession, firstLine, type ProviderChoice, type ProviderName } from '../../onnx/execution-provider.js';
import { convertedModelFile } from '../converter/converted-model.js';
import { PERCEPTION_SESSION_OPTIONS } from '../packaged-model.js';
import { personModelJson, type PersonModelSpec } from './person-models.js';

export interface LoadedPersonModel {
  spec: PersonModelSpec;
  session: ort.InferenceSession;
  provider: ProviderName;
  /** The converted ONNX file in the cache folder. */
  file: string;
  /** sha256 of the TF.js source (model.json + weights + converter version). */
  sourceSha256: string;
  loadMs: number;
}

export interface LoadOptions {
  cacheDir: string;
  provider?: ProviderChoice;
  log?: Logger;
  /** Tests: a model.json elsewhere (a broken copy) instead of the package's; its files are then not checksummed. */
  modelJson?: string;
}

/** One load per model, source and cache folder per process; a failed load is forgotten so a fixed install works on the next run. */
const loads = new Map<string, Promise<LoadedPersonModel>>();

export function loadPersonModel(spec: PersonModelSpec, options: LoadOptions): Promise<LoadedPersonModel> {
  const json = options.modelJson ?? personModelJson(spec);
  const key = `${spec.id}|${json}|${options.cacheDir}`;
  let p = loads.get(key);
  if (!p) {
    p = open(spec, json, options);
    loads.set(key, p);
    p.catch(() => loads.delete(key));
  }
  return p;
}

async function open(spec: PersonModelSpec, json: string, options: LoadOptions): Promise<LoadedPersonModel> {
  const t0 = performance.now();
  const fail = (error: unknown): never => {
    throw new OperationalError(`Person matte model "${spec.id}" (${spec.packageName}): ${firstLine(error)}`, { cause: error });
  };
  const sums = options.modelJson ? undefined : spec.sha256;
  const converted = await convertedModelFile(json, spec.id, options.cacheDir, sums).catch(fail);
  let created;
  try {
    created = await createSession(converted.file, options.provider ?? 'auto', options.log, PERCEPTION_SESSION_OPTIONS);
  } catch (error) {
    if (error instanceof OperationalError) throw error; // the execution provider, not the file
    // A damaged cache file (disk full, edited by hand): convert again once from the source.
    options.log?.warn(`perception: cached ${path.basename(converted.file)} would not load (${firstLine(error)}); converting again`);
    await rm(converted.file, { force: true });
    const again = await convertedModelFile(json, spec.id, options.cacheDir, sums).catch(fail);
    created = await createSession(again.file, options.provider ?? 'auto', options.log, PERCEPTION_SESSION_OPTIONS).catch(fail);
  }
  const loadMs = performance.now() - t0;
  options.log?.info(`perception: loaded ${spec.id}`, {
    file: converted.file,
    provider: created.provider,
    converted: converted.converted,
    ms: Math.round(loadMs),
  });
  return { spec, session: created.session, provider: created.provider, file: converted.file, sourceSha256: converted.sha256, loadMs };
}
