import { OnnxWriter } from './onnx-writer.js';
import { TF_OPS } from './tf-ops.js';
import type { TfjsGraphModel, TfNode, TfWeight } from './tfjs-model.js';

/**
 * TF.js graph model -> ONNX (opset 17). TensorFlow's image ops are NHWC; ONNX's are NCHW. Rather than
 * wrapping every op in transposes, each 4-D activation remembers its layout: convolutions, pools and
 * resizes produce and take NCHW, element-wise ops follow their operands (constants are permuted at
 * conversion time), and a transpose is inserted only where an op needs the other layout (reshape,
 * matmul, the graph's outputs). The ONNX model keeps the original's NHWC inputs and outputs, so both
 * run on the same tensors.
 */
export interface Value {
  /** ONNX value name. */
  name: string;
  /** TensorFlow's (NHWC) shape, whatever the layout in ONNX. */
  shape: number[];
  layout: 'nchw' | 'plain';
}

export class ConversionContext {
  readonly out = new OnnxWriter();
  private values = new Map<string, Value>();
  private relaid = new Map<string, string>();
  private constants = new Map<string, string>();

  constructor(readonly model: TfjsGraphModel) {}

  /** A constant input of a node (a weight), or undefined when the input is computed. */
  constant(tfName: string): TfWeight | undefined {
    return this.model.weights.get(baseName(tfName));
  }

  requireConstant(node: TfNode, index: number, what: string): TfWeight {
    const c = node.input?.[index] === undefined ? undefined : this.constant(node.input[index]);
    if (!c) throw new Error(`${node.op} "${node.name}": its ${what} (input ${index}) must be a constant`);
    return c;
  }

  /** The value of a computed input; a constant input becomes a plain initializer. */
  value(tfName: string): Value {
    const v = this.values.get(baseName(tfName));
    if (v) return v;
    const c = this.constant(tfName);
    if (!c) throw new Error(`input "${tfName}" is neither a computed value nor a weight`);
    return { name: this.plainConstant(tfName, c), shape: c.shape, layout: 'plain' };
  }

  set(tfName: string, v: Value): void {
    this.values.set(tfName, v);
  }

  /** The value in NCHW (4-D only), transposing once and remembering the result. */
  nchw(v: Value): string {
    if (v.layout === 'nchw') return v.name;
    if (v.shape.length !== 4) throw new Error(`value ${v.name} of shape [${v.shape}] can not be laid out as NCHW`);
    return this.transpose(v.name, [0, 3, 1, 2], 'nchw');
  }

  /** The value in TensorFlow's own layout. */
  plain(v: Value): string {
    return v.layout === 'plain' ? v.name : this.transpose(v.name, [0, 2, 3, 1], 'nhwc');
  }

  private transpose(name: string, perm: number[], tag: string): string {
    const key = `${name}|${tag}`;
    let t = this.relaid.get(key);
    if (!t) {
      t = this.out.node('Transpose', [name], `${name}__${tag}`, { perm });
      this.relaid.set(key, t);
    }
    return t;
  }

  private plainConstant(tfName: string, c: TfWeight): string {
    const key = `${tfName}|plain`;
    let name = this.constants.get(key);
    if (!name) {
      name = c.dtype === 'int32' ? this.out.int64(tfName, Array.from(c.data)) : this.out.float(tfName, c.shape, c.data as Float32Array);
      this.constants.set(key, name);
    }
    return name;
  }

  /** A float constant, once per (weight, form): `form` names the re-layout, `make` computes it. */
  floatConstant(tfName: string, form: string, make: () => { dims: number[]; data: Float32Array }): string {
    const key = `${tfName}|${form}`;
    let name = this.constants.get(key);
    if (!name) {
      const { dims, data } = make();
      name = this.out.float(`${baseName(tfName)}__${form}`, dims, data);
      this.constants.set(key, name);
    }
    return name;
  }
}

/** Converts the whole graph; an op the converter does not know is an error naming it (and its node). */
export function convertTfjsGraph(model: TfjsGraphModel, docString: string, options: { extraOutputs?: string[] } = {}): Uint8Array {
  const ctx = new ConversionContext(model);
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  for (const input of model.inputs) {
    ctx.out.input(input.name, input.shape);
    ctx.set(input.name, { name: input.name, shape: input.shape, layout: 'plain' });
  }
  const done = new Set<string>(model.inputs.map((i) => i.name));
  // Depth-first from the outputs, so nodes run after their inputs whatever order model.json lists them in.
  const visit = (name: string, stack: Set<string>) => {
    if (done.has(name)) return;
    const node = byName.get(name);
    if (!node) throw new Error(`the graph has no node "${name}"`);
    if (node.op === 'Const') {
      if (!ctx.constant(name)) throw new Error(`Const "${name}" has no weight in the manifest`);
      done.add(name);
      return;
    }
    if (stack.has(name)) throw new Error(`the graph has a cycle through "${name}"`);
    stack.add(name);
    for (const input of node.input ?? []) if (!input.startsWith('^')) visit(baseName(input), stack);
    stack.delete(name);
    const convert = TF_OPS[node.op];
    if (!convert) throw new Error(`op ${node.op} (node "${node.name}") is not supported by the converter`);
    ctx.set(name, convert(node, ctx));
    done.add(name);
  };
  // Extra outputs (intermediate TF nodes) let tests compare the logits before a saturating sigmoid.
  const outputs = [...model.outputs.map((o) => o.name), ...(options.extraOutputs ?? [])];
  for (const output of outputs) {
    visit(output, new Set());
    const v = ctx.value(output);
    const plain = ctx.plain(v);
    // The graph output carries the TF name; an Identity gives it that name whatever produced it.
    const named = ctx.out.node('Identity', [plain], `${output}:0`);
    ctx.out.output(named, v.shape);
  }
  return ctx.out.encode('kinegraph tfjs-to-onnx', docString);
}

/** "conv:0" -> "conv"; TF.js graph inputs name output 0 without the suffix. */
export function baseName(input: string): string {
  return input.replace(/^\^/, '').replace(/:0$/, '');
}
