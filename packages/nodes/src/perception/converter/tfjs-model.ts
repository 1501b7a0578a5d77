import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { readWeights, WeightsManifestSchema, type TfWeight } from './tfjs-weights.js';

export type { TfWeight } from './tfjs-weights.js';

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

const TensorInfo = z.object({
  name: z.string(),
  dtype: z.string(),
  tensorShape: z.object({ dim: z.array(z.object({ size: z.union([z.string(), z.number()]) })) }),
});

export const TfjsGraphModelSchema = z.object({
  format: z.literal('graph-model'),
  modelTopology: z.object({ node: z.array(NodeSchema) }).passthrough(),
  weightsManifest: WeightsManifestSchema,
  signature: z.object({ inputs: z.record(z.string(), TensorInfo), outputs: z.record(z.string(), TensorInfo) }),
});

export type TfNode = z.infer<typeof NodeSchema>;
export type TfAttr = z.infer<typeof AttrValue>;

export interface TfjsGraphModel {
  nodes: TfNode[];
  weights: Map<string, TfWeight>;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
}

/** Reads and checks model.json and its shards; every problem names the file. */
export async function readTfjsGraphModel(jsonFile: string): Promise<TfjsGraphModel> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonFile, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new Error(`model file ${jsonFile} is missing`);
    throw new Error(`model file ${jsonFile} is not valid JSON: ${e.message}`);
  }
  const parsed = TfjsGraphModelSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `model file ${jsonFile} is not a TF.js graph model: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
    );
  const m = parsed.data;
  const weights = await readWeights(jsonFile, m.weightsManifest);
  const dims = (t: z.infer<typeof TensorInfo>) => t.tensorShape.dim.map((d) => Number(d.size));
  const strip = (name: string) => name.replace(/:0$/, '');
  return {
    nodes: m.modelTopology.node,
    weights,
    inputs: Object.values(m.signature.inputs).map((t) => ({ name: strip(t.name), shape: dims(t) })),
    outputs: Object.values(m.signature.outputs).map((t) => ({ name: strip(t.name), shape: dims(t) })),
  };
}
