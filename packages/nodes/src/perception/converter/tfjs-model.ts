import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fromHalf } from '../../onnx/fp16.js';

/**
 * A TF.js graph model (model.json + weight shards) read into plain data: the TensorFlow GraphDef nodes and
 * every weight dequantized to float32 (or int32). Only what the converter needs is validated; the rest
 * of the file is ignored.
 */
const AttrValue = z
  .object({
    s: z.string().optional(),
    i: z.union([z.string(), z.number()]).optional(),
    f: z.number().optional(),
    b: z.boolean().optional(),
    type: z.string().optional(),
    list: z.object({ i: z.array(z.union([z.string(), z.number()])).optional(), s: z.array(z.string()).optional() }).optional(),
  })
  .passthrough();

const NodeSchema = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).optional(),
  attr: z.record(z.string(), AttrValue).optional(),
});

const WeightSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32']),
  quantization: z
    .object({ dtype: z.enum(['float16', 'uint8', 'uint16']), scale: z.number().optional(), min: z.number().optional() })
    .passthrough()
    .optional(),
});

const TensorInfo = z.object({
  name: z.string(),
  dtype: z.string(),
  tensorShape: z.object({ dim: z.array(z.object({ size: z.union([z.string(), z.number()]) })) }),
});

export const TfjsGraphModelSchema = z.object({
  format: z.literal('graph-model'),
  modelTopology: z.object({ node: z.array(NodeSchema) }).passthrough(),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(WeightSchema) })),
  signature: z.object({ inputs: z.record(z.string(), TensorInfo), outputs: z.record(z.string(), TensorInfo) }),
});

export type TfNode = z.infer<typeof NodeSchema>;
export type TfAttr = z.infer<typeof AttrValue>;

export interface TfWeight {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface TfjsGraphModel {
  nodes: TfNode[];
  weights: Map<string, TfWeight>;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
}

/** Reads and checks model.json and its shards; every problem names the file. */
export async function readTfjsGraphModel(jsonFile: string): Promise<TfjsGraphModel> {
  const where = path.basename(jsonFile);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonFile, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new Error(`model file ${jsonFile} is missing`);
    throw new Error(`model file ${jsonFile} is not valid JSON: ${e.message}`);
  }
  const parsed = TfjsGraphModelSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`model file ${jsonFile} is not a TF.js graph model: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const m = parsed.data;
  const weights = new Map<string, TfWeight>();
  for (const group of m.weightsManifest) {
    const shards = await Promise.all(
      group.paths.map(async (p) => {
        if (p.includes('/') || p.includes('\\') || p.startsWith('.')) throw new Error(`${where} names weight file "${p}" outside its folder`);
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
      if (end > bytes.length) throw new Error(`weight file of ${where} is truncated: "${w.name}" needs bytes ${offset}..${end}, the shards hold ${bytes.length}`);
      weights.set(w.name, { dtype: w.dtype, shape: w.shape, data: decodeWeight(bytes, offset, n, w) });
      offset = end;
    }
    if (offset !== bytes.length) throw new Error(`weight file of ${where} has ${bytes.length} bytes, the manifest describes ${offset}`);
  }
  const dims = (t: z.infer<typeof TensorInfo>) => t.tensorShape.dim.map((d) => Number(d.size));
  const strip = (name: string) => name.replace(/:0$/, '');
  return {
    nodes: m.modelTopology.node,
    weights,
    inputs: Object.values(m.signature.inputs).map((t) => ({ name: strip(t.name), shape: dims(t) })),
    outputs: Object.values(m.signature.outputs).map((t) => ({ name: strip(t.name), shape: dims(t) })),
  };
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
