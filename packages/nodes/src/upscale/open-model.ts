import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { OperationalError, UserError, type Logger } from '@kinegraph/graph-core';
import * as ort from 'onnxruntime-node';
import { createSession, firstLine, type ProviderChoice } from '../onnx/execution-provider.js';
import { availableParallelism } from 'node:os';
import { convertedModelFile } from '../perception/converter/converted-model.js';
import { quantizedModelFile } from '../perception/converter/quantized-model.js';
import { builtinModelJson, builtinUpscaleSpec, type BuiltinUpscaleSpec } from './builtin-models.js';
import { probeUpscaler } from './probe.js';
import { quantizedUpscaleSpec, type QuantizedUpscaleSpec } from './quantized-models.js';
import { UpscaleModel } from './upscale-model.js';

/**
 * Input pixels past a tile edge that still change the output by 1e-3 (0-255 scale), measured per family on
 * photo crops (slim 10, medium 12, gans 26; thick is the same RRDN depth as gans): the default overlap keeps
 * at least this much margin, so tiled equals untiled.
 */
const CONTEXT: Record<BuiltinUpscaleSpec['family'], number> = { slim: 10, medium: 12, thick: 30, gans: 30 };

export interface OpenOptions {
  /** Where converted built-in models are kept (the data folder's cache/models). */
  cacheDir: string;
  /** The models folder: user models are `<modelsDir>/upscale/<file>.onnx`. */
  modelsDir?: string;
  provider?: ProviderChoice;
  log?: Logger;
}

/** One open session per model and source per process; a failed open is forgotten so a fixed file works next time. */
const opened = new Map<string, Promise<UpscaleModel>>();

/** "upscale/<file>.onnx": a plain file name inside the folder, nothing else. */
const USER_ID = /^upscale\/([A-Za-z0-9][A-Za-z0-9 ._-]*\.onnx)$/;

/**
 * ORT's default intra-op pool is sized from the host's cores, which in a container or under taskset can be
 * more than this process may use: one thread per usable core instead. And no spinning: between tiles the
 * main thread blends and writes frames, and pool threads spinning meanwhile would take the cores it needs
 * (measured: 20-30% more CPU time per frame with spinning, on a busy 2-core machine).
 */
const SESSION_OPTIONS = { intraOpNumThreads: availableParallelism(), extra: { session: { 'intra_op.allow_spinning': '0' } } };

export async function openUpscaleModel(id: string, options: OpenOptions): Promise<UpscaleModel> {
  const quantized = quantizedUpscaleSpec(id);
  const spec = builtinUpscaleSpec(quantized?.base ?? id);
  let key: string;
  let open: () => Promise<UpscaleModel>;
  if (spec) {
    key = `${id}|${options.cacheDir}|${options.provider ?? 'auto'}`;
    open = () => openBuiltin(spec, options, quantized);
  } else {
    const match = USER_ID.exec(id);
    if (!match)
      throw new UserError(
        `Unknown upscale model "${id}": built-in models are slim-x2/x3/x4, slim-x2-int8, medium-x2/x3/x4, thick-x2/x3/x4 and gans-x4; a file in the models folder is "upscale/<name>.onnx"`,
        'model',
      );
    if (!options.modelsDir) throw new UserError(`"${id}" names a file in the models folder, and this host has none`, 'model');
    const file = path.join(options.modelsDir, 'upscale', match[1]);
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(
        error.code === 'ENOENT'
          ? `${id}: there is no ${match[1]} in ${path.dirname(file)}`
          : `${id}: ${file} can not be read (${error.message})`,
        'model',
      );
    });
    const hash = createHash('sha256').update(bytes).digest('hex');
    key = `${file}|${hash}|${options.provider ?? 'auto'}`;
    open = () => openUserFile(id, file, bytes, hash, options);
  }
  let p = opened.get(key);
  if (!p) {
    p = open();
    opened.set(key, p);
    p.catch(() => opened.delete(key));
  }
  return p;
}

async function openBuiltin(spec: BuiltinUpscaleSpec, options: OpenOptions, quantized?: QuantizedUpscaleSpec): Promise<UpscaleModel> {
  const id = quantized?.id ?? spec.id;
  const fail = (error: unknown): never => {
    throw new OperationalError(`Upscale model "${id}" (${spec.packageName}@${spec.version}): ${firstLine(error)}`, { cause: error });
  };
  // The int8 version is made from the converted fp32 file (and redone with it).
  const fileFor = async (fp32: { file: string; sha256: string; converted: boolean }) =>
    quantized ? quantizedModelFile(fp32.file, fp32.sha256, quantized.id, options.cacheDir, quantized.ranges, quantized.options) : fp32;
  const json = (() => {
    try {
      return builtinModelJson(spec);
    } catch (error) {
      return fail(error);
    }
  })();
  const t0 = performance.now();
  const fp32 = await convertedModelFile(json, spec.id, options.cacheDir, spec.sha256).catch(fail);
  const converted = await fileFor(fp32).catch(fail);
  let created;
  try {
    created = await createSession(converted.file, options.provider ?? 'auto', options.log, SESSION_OPTIONS);
  } catch (error) {
    if (error instanceof OperationalError) throw error; // the execution provider, not the file
    // A damaged cache file: convert again once from the source.
    options.log?.warn(`upscale: cached ${path.basename(converted.file)} would not load (${firstLine(error)}); converting again`);
    await rm(converted.file, { force: true });
    if (quantized) await rm(fp32.file, { force: true });
    const again = await fileFor(await convertedModelFile(json, spec.id, options.cacheDir, spec.sha256).catch(fail)).catch(fail);
    created = await createSession(again.file, options.provider ?? 'auto', options.log, SESSION_OPTIONS).catch(fail);
  }
  options.log?.info(`upscale: loaded ${id}`, {
    file: converted.file,
    provider: created.provider,
    converted: converted.converted,
    ms: Math.round(performance.now() - t0),
  });
  const title = `${spec.family} ${spec.scale}x${quantized ? ' int8' : ''} (${spec.packageName}@${spec.version})`;
  const info = {
    id,
    title,
    scale: spec.scale,
    layout: 'nhwc' as const,
    range: spec.range,
    context: CONTEXT[spec.family],
    hash: converted.sha256,
  };
  return new UpscaleModel(info, created.session, created.provider, ort);
}

async function openUserFile(id: string, file: string, bytes: Buffer, hash: string, options: OpenOptions): Promise<UpscaleModel> {
  const name = path.basename(file);
  let created;
  try {
    created = await createSession(file, options.provider ?? 'auto', options.log, SESSION_OPTIONS);
  } catch (error) {
    if (error instanceof OperationalError) throw error;
    throw new UserError(`${id}: ${name} (${bytes.length} bytes) is not a valid ONNX model: ${firstLine(error)}`, 'model', { cause: error });
  }
  try {
    const probed = await probeUpscaler(name, created.session, ort.Tensor);
    options.log?.info(`upscale: opened ${id}`, { ...probed, provider: created.provider });
    return new UpscaleModel({ id, title: name, hash, ...probed }, created.session, created.provider, ort);
  } catch (error) {
    await created.session.release();
    throw new UserError(`${id}: ${(error as Error).message}`, 'model', { cause: error });
  }
}
