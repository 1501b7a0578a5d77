import { layerConverter } from './layers-ops.js';
import type { KerasLayer, TfjsLayersModel } from './layers-model.js';
import { OnnxWriter } from './onnx-writer.js';
import type { TfWeight } from './tfjs-weights.js';

/**
 * TF.js layers model (Keras functional, channels_last) -> ONNX (opset 17). Inside the graph every tensor is
 * NCHW (what ONNX convolutions take); the ONNX model keeps the original's NHWC input and output, with
 * dynamic batch, height and width, so both run on the same tensors at any tile size.
 */
export interface LayerValue {
  /** ONNX value name (NCHW). */
  name: string;
  channels: number;
  /** Spatial size relative to the model input (NaN when it is not a plain factor, e.g. after a valid conv). */
  scale: number;
}

export class LayersContext {
  readonly out = new OnnxWriter();
  private used = new Set<string>();

  constructor(readonly model: TfjsLayersModel) {}

  /** A layer's weight ("kernel", "bias"), by its Keras name "<layer>/<what>" (a scope prefix is allowed). */
  weight(layer: KerasLayer, what: string): TfWeight {
    const exact = `${layer.name}/${what}`;
    let key = this.model.weights.has(exact) ? exact : undefined;
    if (!key) {
      const scoped = [...this.model.weights.keys()].filter((k) => k.endsWith(`/${exact}`));
      if (scoped.length === 1) key = scoped[0];
    }
    if (!key) throw new Error(`${layer.class_name} "${layer.name}": the weights have no "${exact}"`);
    this.used.add(key);
    return this.model.weights.get(key)!;
  }
}

export interface ConvertedLayers {
  onnx: Uint8Array;
  /** Spatial scale from input to output, read from the layers (NaN when the graph does not fix it). */
  scale: number;
  inputName: string;
  outputName: string;
  outputChannels: number;
}

/** Converts the whole model; a layer class the converter does not know is an error naming it (and the layer). */
export function convertTfjsLayers(model: TfjsLayersModel, docString: string): ConvertedLayers {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the converter takes one of each`);
  }
  const ctx = new LayersContext(model);
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const values = new Map<string, LayerValue>();
  const inputLayer = byName.get(model.inputs[0]);
  if (!inputLayer || inputLayer.class_name !== 'InputLayer') throw new Error(`input "${model.inputs[0]}" is not an InputLayer`);
  const shape = inputLayer.config.batch_input_shape;
  const channels = Array.isArray(shape) ? shape[3] : undefined;
  if (!Array.isArray(shape) || shape.length !== 4 || typeof channels !== 'number') {
    throw new Error(`InputLayer "${inputLayer.name}": batch_input_shape ${JSON.stringify(shape)} is not an NHWC image with known channels`);
  }
  ctx.out.input(inputLayer.name, ['batch', 'height', 'width', channels]);
  const nchw = ctx.out.node('Transpose', [inputLayer.name], `${inputLayer.name}/nchw`, { perm: [0, 3, 1, 2] });
  values.set(inputLayer.name, { name: nchw, channels, scale: 1 });

  // Depth-first from the output, so layers run after their inputs whatever order model.json lists them in.
  const visit = (name: string, stack: Set<string>): LayerValue => {
    const known = values.get(name);
    if (known) return known;
    const layer = byName.get(name);
    if (!layer) throw new Error(`the model has no layer "${name}"`);
    if (stack.has(name)) throw new Error(`the model has a cycle through "${name}"`);
    if (layer.inbound_nodes.length !== 1)
      throw new Error(`${layer.class_name} "${name}" is called ${layer.inbound_nodes.length} times (shared layers are not supported)`);
    const convert = layerConverter(layer.class_name);
    if (!convert) throw new Error(`layer class ${layer.class_name} (layer "${name}") is not supported by the converter`);
    stack.add(name);
    const inputs = layer.inbound_nodes[0].map((ref) => {
      if (ref[1] !== 0 || ref[2] !== 0)
        throw new Error(`${layer.class_name} "${name}" reads ${ref[0]}[${ref[1]}][${ref[2]}] (shared layers are not supported)`);
      return visit(ref[0], stack);
    });
    stack.delete(name);
    const value = convert(layer, ctx, inputs);
    values.set(name, value);
    return value;
  };
  const outputName = model.outputs[0];
  const result = visit(outputName, new Set());
  const nhwc = ctx.out.node('Transpose', [result.name], `${outputName}/nhwc`, { perm: [0, 2, 3, 1] });
  const named = ctx.out.node('Identity', [nhwc], outputName);
  ctx.out.output(named, ['batch', 'out_height', 'out_width', result.channels]);
  return {
    onnx: ctx.out.encode('kinegraph tfjs-layers-to-onnx', docString),
    scale: result.scale,
    inputName: inputLayer.name,
    outputName: named,
    outputChannels: result.channels,
  };
}
