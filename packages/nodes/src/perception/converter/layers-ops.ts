import { z } from 'zod';
import { permute } from './tensor-layout.js';
import type { KerasLayer } from './layers-model.js';
import type { LayersContext, LayerValue } from './layers-to-onnx.js';

/**
 * The Keras layers the shipped upscalers use (UpscalerJS ESRGAN slim/medium/thick, idealo RDN/RRDN),
 * each mapped to ONNX on NCHW tensors. Configs are checked with zod; a layer class or setting not listed
 * here is refused by name rather than guessed at.
 */
export type LayerConverter = (layer: KerasLayer, ctx: LayersContext, inputs: LayerValue[]) => LayerValue;

const pair = z.tuple([z.number().int().positive(), z.number().int().positive()]);

const Conv2DConfig = z.object({
  filters: z.number().int().positive(),
  kernel_size: pair,
  strides: pair.default([1, 1]),
  padding: z.enum(['same', 'valid']),
  data_format: z.literal('channels_last').default('channels_last'),
  dilation_rate: pair.default([1, 1]),
  groups: z.literal(1).default(1),
  activation: z.enum(['linear', 'relu']).default('linear'),
  use_bias: z.boolean().default(true),
});

const ActivationConfig = z.object({ activation: z.enum(['relu', 'linear']) });
const ConcatenateConfig = z.object({ axis: z.union([z.literal(-1), z.literal(3)]).default(-1) });
const UpSamplingConfig = z.object({
  size: pair,
  data_format: z.literal('channels_last').default('channels_last'),
  interpolation: z.literal('nearest').default('nearest'),
});
const MultiplyBetaConfig = z.object({ beta: z.number().default(0.2) });
const PixelShuffleConfig = z.object({ scale: z.number().int().min(2) });

function config<T extends z.ZodType>(schema: T, layer: KerasLayer): z.output<T> {
  const parsed = schema.safeParse(layer.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${layer.class_name} "${layer.name}": config ${issue?.path.join('.')} ${issue?.message} (got ${JSON.stringify(pick(layer.config, issue?.path[0]))})`,
    );
  }
  return parsed.data;
}

function pick(config: Record<string, unknown>, key: PropertyKey | undefined): unknown {
  return typeof key === 'string' ? config[key] : undefined;
}

function one(layer: KerasLayer, inputs: LayerValue[]): LayerValue {
  if (inputs.length !== 1) throw new Error(`${layer.class_name} "${layer.name}" takes one input, it has ${inputs.length}`);
  return inputs[0];
}

const conv2d: LayerConverter = (layer, ctx, inputs) => {
  const x = one(layer, inputs);
  const c = config(Conv2DConfig, layer);
  const kernel = ctx.weight(layer, 'kernel');
  const [kh, kw] = c.kernel_size;
  if (kernel.shape.join() !== [kh, kw, x.channels, c.filters].join()) {
    throw new Error(
      `Conv2D "${layer.name}": kernel has shape [${kernel.shape}], expected [${kh},${kw},${x.channels},${c.filters}] for its ${x.channels}-channel input`,
    );
  }
  const weight = ctx.out.float(
    `${layer.name}/kernel`,
    [c.filters, x.channels, kh, kw],
    permute(kernel.data as Float32Array, kernel.shape, [3, 2, 0, 1]).data,
  );
  const operands = [x.name, weight];
  if (c.use_bias) {
    const bias = ctx.weight(layer, 'bias');
    if (bias.shape.join() !== String(c.filters))
      throw new Error(`Conv2D "${layer.name}": bias has shape [${bias.shape}], expected [${c.filters}]`);
    operands.push(ctx.out.float(`${layer.name}/bias`, [c.filters], bias.data as Float32Array));
  }
  const [sh, sw] = c.strides;
  const [dh, dw] = c.dilation_rate;
  // TF 'same' pads (k-1)*d in total, the odd pixel after: explicit pads for stride 1, SAME_UPPER (the same rule) otherwise.
  const attrs: Record<string, number | number[] | string> = { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], group: 1 };
  if (c.padding === 'valid') attrs.pads = [0, 0, 0, 0];
  else if (sh === 1 && sw === 1) {
    const th = (kh - 1) * dh;
    const tw = (kw - 1) * dw;
    attrs.pads = [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
  } else attrs.auto_pad = 'SAME_UPPER';
  const conv = ctx.out.node('Conv', operands, layer.name, attrs);
  const name = c.activation === 'relu' ? ctx.out.node('Relu', [conv], `${layer.name}/relu`) : conv;
  return { name, channels: c.filters, scale: c.padding === 'valid' && (kh > 1 || kw > 1) ? NaN : x.scale / sh };
};

const activation: LayerConverter = (layer, ctx, inputs) => {
  const x = one(layer, inputs);
  const c = config(ActivationConfig, layer);
  if (c.activation === 'linear') return x;
  return { ...x, name: ctx.out.node('Relu', [x.name], layer.name) };
};

const concatenate: LayerConverter = (layer, ctx, inputs) => {
  config(ConcatenateConfig, layer);
  if (inputs.length < 2) throw new Error(`Concatenate "${layer.name}" needs two or more inputs`);
  if (inputs.some((v) => v.scale !== inputs[0].scale)) throw new Error(`Concatenate "${layer.name}": its inputs have different sizes`);
  const channels = inputs.reduce((n, v) => n + v.channels, 0);
  return {
    name: ctx.out.node(
      'Concat',
      inputs.map((v) => v.name),
      layer.name,
      { axis: 1 },
    ),
    channels,
    scale: inputs[0].scale,
  };
};

const add: LayerConverter = (layer, ctx, inputs) => {
  if (inputs.length < 2) throw new Error(`Add "${layer.name}" needs two or more inputs`);
  if (inputs.some((v) => v.channels !== inputs[0].channels || v.scale !== inputs[0].scale)) {
    throw new Error(`Add "${layer.name}": its inputs have different shapes (channels ${inputs.map((v) => v.channels).join(', ')})`);
  }
  const name = ctx.out.node(
    inputs.length === 2 ? 'Add' : 'Sum',
    inputs.map((v) => v.name),
    layer.name,
  );
  return { ...inputs[0], name };
};

/** UpSampling2D (nearest): every pixel repeated; ONNX Resize with asymmetric coordinates and floor reads in[floor(i / s)]. */
const upSampling2d: LayerConverter = (layer, ctx, inputs) => {
  const x = one(layer, inputs);
  const c = config(UpSamplingConfig, layer);
  const [a, b] = c.size;
  const scales = ctx.out.float(`${layer.name}/scales`, [4], new Float32Array([1, 1, a, b]));
  const name = ctx.out.node('Resize', [x.name, '', scales], layer.name, {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
  return { name, channels: x.channels, scale: a === b ? x.scale * a : NaN };
};

/** ESRGAN's residual scaling: x * beta. */
const multiplyBeta: LayerConverter = (layer, ctx, inputs) => {
  const x = one(layer, inputs);
  const c = config(MultiplyBetaConfig, layer);
  const beta = ctx.out.float(`${layer.name}/beta`, [], new Float32Array([c.beta]));
  return { ...x, name: ctx.out.node('Mul', [x.name, beta], layer.name) };
};

/** tf.depthToSpace(x, scale, 'NHWC'): channel (i*s + j)*C + c goes to pixel (i, j) of the block, ONNX DCR order. */
const pixelShuffle: LayerConverter = (layer, ctx, inputs) => {
  const x = one(layer, inputs);
  const c = config(PixelShuffleConfig, layer);
  if (x.channels % (c.scale * c.scale) !== 0)
    throw new Error(`${layer.class_name} "${layer.name}": ${x.channels} channels do not divide by ${c.scale}²`);
  const name = ctx.out.node('DepthToSpace', [x.name], layer.name, { blocksize: c.scale, mode: 'DCR' });
  return { name, channels: x.channels / (c.scale * c.scale), scale: x.scale * c.scale };
};

const LAYERS: Record<string, LayerConverter> = {
  Conv2D: conv2d,
  Activation: activation,
  Concatenate: concatenate,
  Add: add,
  UpSampling2D: upSampling2d,
  MultiplyBeta: multiplyBeta,
  PixelShuffle: pixelShuffle,
};

/** The converter of a layer class; UpscalerJS names its pixel shuffle per scale (PixelShuffle2x, ...). */
export function layerConverter(className: string): LayerConverter | undefined {
  if (/^PixelShuffle\d+x$/.test(className)) return pixelShuffle;
  return Object.hasOwn(LAYERS, className) ? LAYERS[className] : undefined;
}
