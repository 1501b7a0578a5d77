import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fromHalf } from '../../onnx/fp16.js';

/**
 * The weight shards of a TF.js model (graph or layers: both formats share `weightsManifest`), read and
 * dequantized to float32 (or int32) exactly as tfjs does. Every problem names the file.
 */
export const WeightSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32']),
  quantization: z
    .object({ dtype: z.enum(['float16', 'uint8', 'uint16']), scale: z.number().optional(), min: z.number().optional() })
    .passthrough()
    .optional(),
});

export const WeightsManifestSchema = z.array(z.object({ paths: z.array(z.string()), weights: z.array(WeightSchema) }));
export type WeightsManifest = z.infer<typeof WeightsManifestSchema>;

export interface TfWeight {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Reads every shard group of the manifest next to `jsonFile`; the sizes must add up exactly. */
export async function readWeights(jsonFile: string, manifest: WeightsManifest): Promise<Map<string, TfWeight>> {
  const where = path.basename(jsonFile);
  const weights = new Map<string, TfWeight>();
  for (const group of manifest) {
    const shards = await Promise.all(
      group.paths.map(async (p) => {
        if (p.includes('/') || p.includes('\\') || p.startsWith('.'))
          throw new Error(`${where} names weight file "${p}" outside its folder`);
        const file = path.join(path.dirname(jsonFile), p);
        return readFile(file).catch(() => {
          throw new Error(`weight file ${file} (named by ${where}) is missing`);
        });
      }),
    );
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const width = w.quantization ? (w.quantization.dtype === 'uint8' ? 1 : 2) : 4;
      const end = offset + n * width;
      if (end > bytes.length)
        throw new Error(`weight file of ${where} is truncated: "${w.name}" needs bytes ${offset}..${end}, the shards hold ${bytes.length}`);
      weights.set(w.name, { dtype: w.dtype, shape: w.shape, data: decodeWeight(bytes, offset, n, w) });
      offset = end;
    }
    if (offset !== bytes.length) throw new Error(`weight file of ${where} has ${bytes.length} bytes, the manifest describes ${offset}`);
  }
  return weights;
}

/** Dequantizes like tfjs-converter: float16 -> float32; uint8/uint16 -> v*scale + min. */
function decodeWeight(bytes: Buffer, offset: number, n: number, w: z.infer<typeof WeightSchema>): Float32Array | Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
  const q = w.quantization;
  if (w.dtype === 'int32') {
    if (q) throw new Error(`quantized int32 weight "${w.name}" is not supported`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  const out = new Float32Array(n);
  if (!q) for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  else if (q.dtype === 'float16') for (let i = 0; i < n; i++) out[i] = fromHalf(view.getUint16(i * 2, true));
  else {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < n; i++) out[i] = (q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true)) * scale + min;
  }
  return out;
}
