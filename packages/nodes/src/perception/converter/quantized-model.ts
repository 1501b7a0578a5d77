import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QUANTIZER_VERSION, quantizeQdq, type ActivationRanges, type QuantizeOptions } from './quantize-qdq.js';

/**
 * The int8 (QDQ) version of a converted fp32 model, made once and kept beside it in `cacheDir`, named by a
 * hash of the fp32 file's source hash, the ranges, the options and the quantizer version. Written to a
 * temporary name and renamed, as the fp32 conversion is.
 */
export async function quantizedModelFile(
  fp32File: string,
  fp32Sha256: string,
  id: string,
  cacheDir: string,
  ranges: ActivationRanges,
  options: QuantizeOptions,
): Promise<{ file: string; sha256: string; converted: boolean }> {
  const sha256 = createHash('sha256')
    .update(`kinegraph-qdq-${QUANTIZER_VERSION}\n${fp32Sha256}\n${JSON.stringify(ranges)}\n${JSON.stringify(options)}`)
    .digest('hex');
  const file = path.join(cacheDir, `${id}-${sha256.slice(0, 16)}.onnx`);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isFile() && existing.size > 0) return { file, sha256, converted: false };
  const onnx = quantizeQdq(await readFile(fp32File), ranges, `${id}: int8 QDQ of ${path.basename(fp32File)} (sha256 ${sha256})`, options);
  await mkdir(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, onnx);
  await rename(partial, file);
  return { file, sha256, converted: true };
}
