import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { readWeights, WeightsManifestSchema, type TfWeight } from './tfjs-weights.js';

/**
 * A TF.js layers model (Keras functional model saved by tfjs-converter: model.json with the Keras config
 * plus weight shards) read into plain data: the layers with their configs and inbound connections, and
 * every weight dequantized to float32. Only what the converter needs is validated.
 */

/** [layer name, node index, tensor index, kwargs?]: one input of a layer call. */
const InboundRef = z.tuple([z.string(), z.number().int(), z.number().int()]).rest(z.unknown());

const LayerSchema = z.object({
  class_name: z.string(),
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  inbound_nodes: z.array(z.array(InboundRef)),
});

const ModelConfigSchema = z.object({
  class_name: z.string(),
  config: z
    .object({
      layers: z.array(LayerSchema),
      input_layers: z.array(InboundRef).optional(),
      output_layers: z.array(InboundRef).optional(),
    })
    .passthrough(),
});

export const TfjsLayersModelSchema = z.object({
  format: z.literal('layers-model'),
  // tfjs-converter wraps the Keras config in model_config; tfjs's own save writes it directly.
  modelTopology: z.union([z.object({ model_config: ModelConfigSchema }), ModelConfigSchema]),
  weightsManifest: WeightsManifestSchema,
});

export type KerasLayer = z.infer<typeof LayerSchema>;

export interface TfjsLayersModel {
  layers: KerasLayer[];
  weights: Map<string, TfWeight>;
  /** Names of the input and output layers (tensor index 0 of their only call). */
  inputs: string[];
  outputs: string[];
}

/** Reads and checks model.json and its shards; every problem names the file. */
export async function readTfjsLayersModel(jsonFile: string): Promise<TfjsLayersModel> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonFile, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new Error(`model file ${jsonFile} is missing`);
    throw new Error(`model file ${jsonFile} is not valid JSON: ${e.message}`);
  }
  const parsed = TfjsLayersModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`model file ${jsonFile} is not a TF.js layers model: ${issue?.path.join('.')} ${issue?.message}`);
  }
  const topology = parsed.data.modelTopology;
  const config: z.infer<typeof ModelConfigSchema> = 'model_config' in topology ? topology.model_config : topology;
  // Sequential models list layers without connections; the shipped upscalers are all functional.
  if (config.class_name !== 'Functional' && config.class_name !== 'Model') {
    throw new Error(`model file ${jsonFile}: model class ${config.class_name} is not supported by the converter (only functional models)`);
  }
  const { layers, input_layers, output_layers } = config.config;
  if (!input_layers?.length || !output_layers?.length) throw new Error(`model file ${jsonFile}: the model names no input or output layers`);
  const weights = await readWeights(jsonFile, parsed.data.weightsManifest);
  const ref = (r: z.infer<typeof InboundRef>) => {
    if (r[1] !== 0 || r[2] !== 0)
      throw new Error(`model file ${jsonFile}: reference to ${r[0]}[${r[1]}][${r[2]}] (shared layers are not supported)`);
    return r[0];
  };
  return { layers, weights, inputs: input_layers.map(ref), outputs: output_layers.map(ref) };
}
