import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import { toHalfArray } from '../fp16.js';
import { gaussian } from '../sampling/noise.js';

/**
 * A small ONNX graph writer over onnx-proto, enough for the project's test models (opset 17).
 * With precision 'fp16' weights are stored as float16 initializers and cast up, and the graph's float
 * inputs and outputs are float16, as in a real fp16 export; the arithmetic runs in float32 so the CPU
 * provider has a kernel for every op.
 */
export type Dim = number | string;
export type ElemType = 'float' | 'int64';

// onnx-proto is CommonJS: take the namespace from its default export.
const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

type AttrValue = number | number[] | { float: number } | Uint8Array;

export class GraphBuilder {
  private nodes: O.INodeProto[] = [];
  private initializers: O.ITensorProto[] = [];
  private inputs: O.IValueInfoProto[] = [];
  private outputs: O.IValueInfoProto[] = [];
  private counter = 0;
  /** Weights draw from their own counter, so fp16 graphs (which add Cast nodes) get the same values. */
  private weights = 0;
  private weightSeed: number;

  constructor(
    readonly name: string,
    readonly precision: 'fp32' | 'fp16',
    seed: number,
  ) {
    this.weightSeed = seed;
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  private valueInfo(name: string, type: ElemType, dims: Dim[]): O.IValueInfoProto {
    const elemType = type === 'int64' ? DataType.INT64 : this.precision === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT;
    return {
      name,
      type: {
        tensorType: {
          elemType,
          shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    };
  }

  /** A graph input; float inputs are cast to float32 inside an fp16 graph. Returns the float32 value name. */
  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(this.valueInfo(name, type, dims));
    if (type === 'float' && this.precision === 'fp16') return this.op('Cast', [name], { to: DataType.FLOAT });
    return name;
  }

  /** Marks a float32 value as a graph output named `name` (cast to float16 in an fp16 graph). */
  output(value: string, name: string, dims: Dim[]): void {
    const cast = this.precision === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT;
    this.nodes.push({ opType: 'Cast', input: [value], output: [name], name: this.fresh('out'), attribute: [this.attr('to', cast)] });
    this.outputs.push(this.valueInfo(name, 'float', dims));
  }

  /** A random weight (fixed by the builder's seed), scaled by 1/sqrt(fanIn). Returns a float32 value name. */
  weight(dims: number[], fanIn: number, scale = 1): string {
    const n = dims.reduce((a, b) => a * b, 1);
    const values = gaussian(this.weightSeed, ++this.weights, n);
    const k = scale / Math.sqrt(fanIn);
    for (let i = 0; i < n; i++) values[i] *= k;
    return this.constant(dims, values);
  }

  constant(dims: number[], values: Float32Array): string {
    const name = this.fresh('w');
    if (this.precision === 'fp16') {
      const half = toHalfArray(values);
      this.initializers.push({ name, dims, dataType: DataType.FLOAT16, rawData: new Uint8Array(half.buffer) });
      return this.op('Cast', [name], { to: DataType.FLOAT });
    }
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(values.buffer) });
    return name;
  }

  int64(values: number[]): string {
    const name = this.fresh('i');
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: DataType.INT64, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  private attr(name: string, value: AttrValue): O.IAttributeProto {
    if (Array.isArray(value)) return { name, type: AttrType.INTS, ints: value };
    if (typeof value === 'number') return { name, type: AttrType.INT, i: value };
    if (value instanceof Uint8Array) return { name, type: AttrType.TENSOR };
    return { name, type: AttrType.FLOAT, f: value.float };
  }

  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    const output = this.fresh(opType.toLowerCase());
    this.nodes.push({
      opType,
      input: inputs,
      output: [output],
      name: this.fresh('n'),
      attribute: Object.entries(attrs).map(([k, v]) => this.attr(k, v)),
    });
    return output;
  }

  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'kinegraph make-test-models',
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
