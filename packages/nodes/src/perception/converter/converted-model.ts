import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readTfjsLayersModel } from './layers-model.js';
import { convertTfjsLayers } from './layers-to-onnx.js';
import { readTfjsGraphModel } from './tfjs-model.js';
import { convertTfjsGraph } from './tf-to-onnx.js';

/** Bumped whenever the converter's output for the same source changes, so cached files are redone. */
export const CONVERTER_VERSION = 1;
/** The same for layers models (their own converter, layers-to-onnx.ts). */
export const LAYERS_CONVERTER_VERSION = 1;

/**
 * The ONNX file for a TF.js graph or layers model (told apart by model.json's `format`): converted once and kept in `cacheDir` under a name made of the
 * source's hash (model.json + shards + converter version). Written to a temporary name and renamed, so a
 * crash mid-write never leaves a broken file under the final name.
 */
export async function convertedModelFile(
  jsonFile: string,
  id: string,
  cacheDir: string,
  /** sha256 of each source file by name: a different or damaged file is refused, naming it. */
  expected?: Record<string, string>,
): Promise<{ file: string; sha256: string; converted: boolean }> {
  const json = await readFile(jsonFile).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'ENOENT' ? `model file ${jsonFile} is missing` : `model file ${jsonFile} can not be read: ${error.message}`,
    );
  });
  checkSum(jsonFile, json, expected);
  const { names: shards, layers } = shardNames(json, jsonFile);
  const tag = layers ? `kinegraph-tfjs-layers-to-onnx-${LAYERS_CONVERTER_VERSION}` : `kinegraph-tfjs-to-onnx-${CONVERTER_VERSION}`;
  const hash = createHash('sha256').update(`${tag}\n`).update(json);
  for (const shard of shards) {
    const file = path.join(path.dirname(jsonFile), shard);
    const bytes = await readFile(file).catch(() => {
      throw new Error(`weight file ${file} (named by ${path.basename(jsonFile)}) is missing`);
    });
    checkSum(file, bytes, expected);
    hash.update(bytes);
  }
  const sha256 = hash.digest('hex');
  const file = path.join(cacheDir, `${id}-${sha256.slice(0, 16)}.onnx`);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isFile() && existing.size > 0) return { file, sha256, converted: false };
  const doc = `${id}: converted from ${path.basename(jsonFile)} (sha256 ${sha256})`;
  const onnx = layers
    ? convertTfjsLayers(await readTfjsLayersModel(jsonFile), doc).onnx
    : convertTfjsGraph(await readTfjsGraphModel(jsonFile), doc);
  await mkdir(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, onnx);
  await rename(partial, file);
  return { file, sha256, converted: true };
}

function checkSum(file: string, bytes: Buffer, expected: Record<string, string> | undefined): void {
  const want = expected?.[path.basename(file)];
  if (!want) return;
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== want)
    throw new Error(`model file ${file} is damaged or a different version (sha256 ${got.slice(0, 12)}…, expected ${want.slice(0, 12)}…)`);
}

/** The shard file names model.json lists and whether it is a layers model (checked fully when read). */
function shardNames(json: Buffer, jsonFile: string): { names: string[]; layers: boolean } {
  let doc: { format?: unknown; weightsManifest?: { paths?: unknown }[] };
  try {
    doc = JSON.parse(json.toString('utf8'));
  } catch (error) {
    throw new Error(`model file ${jsonFile} is not valid JSON: ${(error as Error).message}`);
  }
  const names = (doc.weightsManifest ?? []).flatMap((g) => (Array.isArray(g.paths) ? g.paths : []));
  for (const n of names) {
    if (typeof n !== 'string' || n.includes('/') || n.includes('\\') || n.startsWith('.'))
      throw new Error(`${path.basename(jsonFile)} names weight file "${String(n)}" outside its folder`);
  }
  return { names: names as string[], layers: doc.format === 'layers-model' };
}
