import { attrBool, attrInt, requireNhwc } from './tf-attrs.js';
import { convolution, depthwiseConvolution, pool, transposedConvolution } from './tf-ops-conv.js';
import { broadcastShapes, broadcastToNchw, permute, product } from './tensor-layout.js';
import type { ConversionContext, Value } from './tf-to-onnx.js';
import type { TfNode } from './tfjs-model.js';

export type OpConverter = (node: TfNode, ctx: ConversionContext) => Value;

/**
 * The TensorFlow ops the shipped graph models use (MediaPipe selfie and meet segmentation), each mapped
 * to ONNX. Anything else is refused by name rather than guessed at.
 */
export const TF_OPS: Record<string, OpConverter> = {
  Identity: (node, ctx) => ctx.value(inputs(node)[0]),
  Add: elementwise('Add'),
  AddV2: elementwise('Add'),
  BiasAdd: (node, ctx) => {
    requireNhwc(node);
    return elementwise('Add')(node, ctx);
  },
  Mul: elementwise('Mul'),
  AddN: elementwise('Sum'),
  Relu: unary('Relu'),
  Sigmoid: unary('Sigmoid'),
  Relu6: (node, ctx) => {
    const x = ctx.value(inputs(node)[0]);
    const lo = ctx.floatConstant('relu6', 'min', () => ({ dims: [], data: new Float32Array([0]) }));
    const hi = ctx.floatConstant('relu6', 'max', () => ({ dims: [], data: new Float32Array([6]) }));
    return { name: ctx.out.node('Clip', [x.name, lo, hi], node.name), shape: x.shape, layout: x.layout };
  },
  Conv2D: convolution,
  DepthwiseConv2dNative: depthwiseConvolution,
  Conv2DBackpropInput: transposedConvolution,
  AvgPool: pool('AveragePool'),
  ResizeBilinear: resizeBilinear,
  Reshape: reshape,
  MatMul: matmul,
  ConcatV2: concat,
};

function inputs(node: TfNode): string[] {
  return (node.input ?? []).filter((i) => !i.startsWith('^'));
}

function unary(op: string): OpConverter {
  return (node, ctx) => {
    const x = ctx.value(inputs(node)[0]);
    return { name: ctx.out.node(op, [x.name], node.name), shape: x.shape, layout: x.layout };
  };
}

/**
 * Element-wise ops with NumPy broadcasting. When a computed operand is NCHW, every operand is brought to
 * NCHW: computed ones by a transpose, constants by permuting their data here.
 */
function elementwise(op: string): OpConverter {
  return (node, ctx) => {
    const names = inputs(node);
    const computed = names.filter((n) => !ctx.constant(n)).map((n) => ctx.value(n));
    if (computed.length === 0) throw new Error(`${node.op} "${node.name}" has only constant inputs (constant folding is not supported)`);
    const nchw = computed.some((v) => v.layout === 'nchw');
    let shape: number[] = [];
    const operands = names.map((n) => {
      const c = ctx.constant(n);
      if (c) {
        if (c.dtype !== 'float32') throw new Error(`${node.op} "${node.name}": int32 operand "${n}" is not supported`);
        shape = broadcastShapes(shape, c.shape);
        if (!nchw) return ctx.value(n).name;
        return ctx.floatConstant(n, 'nchw-broadcast', () => broadcastToNchw(c.data as Float32Array, c.shape));
      }
      const v = ctx.value(n);
      shape = broadcastShapes(shape, v.shape);
      return nchw ? ctx.nchw(v) : ctx.plain(v);
    });
    if (nchw && shape.length !== 4) throw new Error(`${node.op} "${node.name}" mixes an image tensor with operands of shape [${shape}]`);
    return { name: ctx.out.node(op, operands, node.name), shape, layout: nchw ? 'nchw' : 'plain' };
  };
}

function resizeBilinear(node: TfNode, ctx: ConversionContext): Value {
  const x = ctx.value(inputs(node)[0]);
  const size = ctx.requireConstant(node, 1, 'size');
  if (size.data.length !== 2 || x.shape.length !== 4) throw new Error(`ResizeBilinear "${node.name}" needs a 4-D input and a size of 2`);
  const [h, w] = Array.from(size.data);
  const [n, , , c] = x.shape;
  // TF: align_corners maps corner to corner; half_pixel_centers samples at (i + 0.5) * scale - 0.5; neither: i * scale.
  const mode = attrBool(node, 'align_corners') ? 'align_corners' : attrBool(node, 'half_pixel_centers') ? 'half_pixel' : 'asymmetric';
  const sizes = ctx.out.int64(`${node.name}/sizes`, [n, c, h, w]);
  const name = ctx.out.node('Resize', [ctx.nchw(x), '', '', sizes], node.name, { mode: 'linear', coordinate_transformation_mode: mode });
  return { name, shape: [n, h, w, c], layout: 'nchw' };
}

function reshape(node: TfNode, ctx: ConversionContext): Value {
  const x = ctx.value(inputs(node)[0]);
  const target = Array.from(ctx.requireConstant(node, 1, 'shape').data);
  const known = product(target.filter((d) => d !== -1));
  const shape = target.map((d) => (d === -1 ? product(x.shape) / known : d));
  if (product(shape) !== product(x.shape)) throw new Error(`Reshape "${node.name}": [${x.shape}] can not become [${target}]`);
  const shapeName = ctx.out.int64(`${node.name}/shape`, shape);
  return { name: ctx.out.node('Reshape', [ctx.plain(x), shapeName], node.name), shape, layout: 'plain' };
}

function matmul(node: TfNode, ctx: ConversionContext): Value {
  const [an, bn] = inputs(node);
  const operand = (name: string, transposed: boolean): { name: string; shape: number[] } => {
    const c = ctx.constant(name);
    if (c) {
      if (c.shape.length !== 2) throw new Error(`MatMul "${node.name}": constant "${name}" is not 2-D`);
      if (!transposed) return { name: ctx.value(name).name, shape: c.shape };
      const t = permute(c.data as Float32Array, c.shape, [1, 0]);
      return { name: ctx.floatConstant(name, 'transposed', () => t), shape: t.dims };
    }
    const v = ctx.value(name);
    if (v.shape.length !== 2) throw new Error(`MatMul "${node.name}": input "${name}" is not 2-D`);
    if (!transposed) return { name: ctx.plain(v), shape: v.shape };
    return { name: ctx.out.node('Transpose', [ctx.plain(v)], `${v.name}__t`, { perm: [1, 0] }), shape: [v.shape[1], v.shape[0]] };
  };
  const a = operand(an, attrBool(node, 'transpose_a'));
  const b = operand(bn, attrBool(node, 'transpose_b'));
  if (a.shape[1] !== b.shape[0]) throw new Error(`MatMul "${node.name}": [${a.shape}] x [${b.shape}] do not multiply`);
  return { name: ctx.out.node('MatMul', [a.name, b.name], node.name), shape: [a.shape[0], b.shape[1]], layout: 'plain' };
}

function concat(node: TfNode, ctx: ConversionContext): Value {
  const names = inputs(node);
  const axisConst = ctx.requireConstant(node, names.length - 1, 'axis');
  const parts = names.slice(0, -1).map((n) => {
    if (ctx.constant(n)) throw new Error(`ConcatV2 "${node.name}": constant operand "${n}" is not supported`);
    return ctx.value(n);
  });
  if (parts.length !== attrInt(node, 'N', parts.length)) throw new Error(`ConcatV2 "${node.name}": N does not match its inputs`);
  const rank = parts[0].shape.length;
  let axis = axisConst.data[0];
  if (axis < 0) axis += rank;
  const shape = [...parts[0].shape];
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
  const nchw = rank === 4 && parts.some((p) => p.layout === 'nchw');
  const operands = parts.map((p) => (nchw ? ctx.nchw(p) : ctx.plain(p)));
  const onnxAxis = nchw ? [0, 2, 3, 1][axis] : axis;
  return { name: ctx.out.node('Concat', operands, node.name, { axis: onnxAxis }), shape, layout: nchw ? 'nchw' : 'plain' };
}
