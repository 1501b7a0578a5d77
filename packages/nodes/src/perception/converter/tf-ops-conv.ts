import { attrInts, requireNhwc, tfPadding } from './tf-attrs.js';
import { permute } from './tensor-layout.js';
import type { ConversionContext, Value } from './tf-to-onnx.js';
import type { TfNode } from './tfjs-model.js';

/** Convolutions and pools: TF NHWC with HWIO filters -> ONNX NCHW with OIHW weights, TF's padding made explicit. */

function spatial(node: TfNode, key: 'strides' | 'dilations' | 'ksize'): [number, number] {
  const v = attrInts(node, key, [1, 1, 1, 1]);
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1)
    throw new Error(`${node.op} "${node.name}": ${key} [${v}] must be 1 on the batch and channel axes`);
  return [v[1], v[2]];
}

function imageInput(node: TfNode, ctx: ConversionContext, index: number): Value {
  requireNhwc(node);
  const name = (node.input ?? [])[index];
  const x = ctx.value(name);
  if (x.shape.length !== 4) throw new Error(`${node.op} "${node.name}": input "${name}" is not 4-D (shape [${x.shape}])`);
  return x;
}

export function convolution(node: TfNode, ctx: ConversionContext): Value {
  const x = imageInput(node, ctx, 0);
  const f = ctx.requireConstant(node, 1, 'filter');
  const [kh, kw, ci, co] = f.shape;
  if (x.shape[3] !== ci) throw new Error(`Conv2D "${node.name}": input has ${x.shape[3]} channels, the filter expects ${ci}`);
  const [sh, sw] = spatial(node, 'strides');
  const [dh, dw] = spatial(node, 'dilations');
  const ph = tfPadding(node, x.shape[1], kh, sh, dh);
  const pw = tfPadding(node, x.shape[2], kw, sw, dw);
  const weight = ctx.floatConstant(node.input![1], 'oihw', () => permute(f.data as Float32Array, f.shape, [3, 2, 0, 1]));
  const name = ctx.out.node('Conv', [ctx.nchw(x), weight], node.name, {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    dilations: [dh, dw],
    pads: [ph.before, pw.before, ph.after, pw.after],
    group: 1,
  });
  return { name, shape: [x.shape[0], ph.outSize, pw.outSize, co], layout: 'nchw' };
}

export function depthwiseConvolution(node: TfNode, ctx: ConversionContext): Value {
  const x = imageInput(node, ctx, 0);
  const f = ctx.requireConstant(node, 1, 'filter');
  const [kh, kw, ci, mult] = f.shape;
  if (x.shape[3] !== ci)
    throw new Error(`DepthwiseConv2dNative "${node.name}": input has ${x.shape[3]} channels, the filter expects ${ci}`);
  const [sh, sw] = spatial(node, 'strides');
  const [dh, dw] = spatial(node, 'dilations');
  const ph = tfPadding(node, x.shape[1], kh, sh, dh);
  const pw = tfPadding(node, x.shape[2], kw, sw, dw);
  // TF output channel c*mult + m uses filter[:, :, c, m]; a grouped ONNX conv with group = ci reads the same order.
  const weight = ctx.floatConstant(node.input![1], 'depthwise', () => {
    const t = permute(f.data as Float32Array, f.shape, [2, 3, 0, 1]);
    return { dims: [ci * mult, 1, kh, kw], data: t.data };
  });
  const name = ctx.out.node('Conv', [ctx.nchw(x), weight], node.name, {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    dilations: [dh, dw],
    pads: [ph.before, pw.before, ph.after, pw.after],
    group: ci,
  });
  return { name, shape: [x.shape[0], ph.outSize, pw.outSize, ci * mult], layout: 'nchw' };
}

/**
 * Conv2DBackpropInput (Keras Conv2DTranspose): the gradient of a forward convolution from the requested
 * output size to the input's size. Its padding is that forward convolution's; ONNX ConvTranspose gets the
 * same pads, plus output_padding for the rows the forward convolution never reached.
 */
export function transposedConvolution(node: TfNode, ctx: ConversionContext): Value {
  const sizes = Array.from(ctx.requireConstant(node, 0, 'input_sizes').data);
  const f = ctx.requireConstant(node, 1, 'filter');
  const x = imageInput(node, ctx, 2);
  const [kh, kw, co, ci] = f.shape;
  if (x.shape[3] !== ci) throw new Error(`Conv2DBackpropInput "${node.name}": input has ${x.shape[3]} channels, the filter expects ${ci}`);
  if (sizes.length !== 4 || sizes[3] !== co)
    throw new Error(`Conv2DBackpropInput "${node.name}": input_sizes [${sizes}] do not fit the filter`);
  const [sh, sw] = spatial(node, 'strides');
  const [dh, dw] = spatial(node, 'dilations');
  const axis = (outSize: number, inSize: number, k: number, s: number, d: number) => {
    const p = tfPadding(node, outSize, k, s, d);
    if (p.outSize !== inSize)
      throw new Error(`Conv2DBackpropInput "${node.name}": output size ${outSize} does not lead to the input's ${inSize}`);
    const extra = outSize - ((inSize - 1) * s + (k - 1) * d + 1 - p.before - p.after);
    if (extra < 0 || extra >= Math.max(s, d))
      throw new Error(`Conv2DBackpropInput "${node.name}": output size ${outSize} is not reachable`);
    return { ...p, extra };
  };
  const ph = axis(sizes[1], x.shape[1], kh, sh, dh);
  const pw = axis(sizes[2], x.shape[2], kw, sw, dw);
  const weight = ctx.floatConstant(node.input![1], 'iohw', () => permute(f.data as Float32Array, f.shape, [3, 2, 0, 1]));
  const name = ctx.out.node('ConvTranspose', [ctx.nchw(x), weight], node.name, {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    dilations: [dh, dw],
    pads: [ph.before, pw.before, ph.after, pw.after],
    output_padding: [ph.extra, pw.extra],
    group: 1,
  });
  return { name, shape: [sizes[0], sizes[1], sizes[2], co], layout: 'nchw' };
}

/** AvgPool: TF leaves padded cells out of the average, as ONNX does with count_include_pad = 0. */
export function pool(op: 'AveragePool') {
  return (node: TfNode, ctx: ConversionContext): Value => {
    const x = imageInput(node, ctx, 0);
    const [kh, kw] = spatial(node, 'ksize');
    const [sh, sw] = spatial(node, 'strides');
    const ph = tfPadding(node, x.shape[1], kh, sh, 1);
    const pw = tfPadding(node, x.shape[2], kw, sw, 1);
    const name = ctx.out.node(op, [ctx.nchw(x)], node.name, {
      kernel_shape: [kh, kw],
      strides: [sh, sw],
      pads: [ph.before, pw.before, ph.after, pw.after],
      count_include_pad: 0,
    });
    return { name, shape: [x.shape[0], ph.outSize, pw.outSize, x.shape[3]], layout: 'nchw' };
  };
}
