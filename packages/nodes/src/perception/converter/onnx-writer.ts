import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

/** The converter's ONNX output: a flat list of nodes and float32/int64 initializers, encoded with onnx-proto. */

// onnx-proto is CommonJS: take the namespace from its default export.
const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

export type OnnxAttr = number | number[] | { float: number } | { floats: number[] } | string;
export type Dim = number | string;

export class OnnxWriter {
  private nodes: O.INodeProto[] = [];
  private initializers: O.ITensorProto[] = [];
  private inputs: O.IValueInfoProto[] = [];
  private outputs: O.IValueInfoProto[] = [];
  private names = new Set<string>();
  private counter = 0;

  /** A name not used yet, derived from `base` (TF names are kept so the ONNX graph reads like the original). */
  fresh(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}__${this.counter++}`;
    this.names.add(name);
    return name;
  }

  /** A graph input; a string dim is a named dynamic axis ("height"). */
  input(name: string, dims: Dim[]): void {
    this.names.add(name);
    this.inputs.push(valueInfo(name, dims));
  }

  output(name: string, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  float(base: string, dims: number[], values: Float32Array): string {
    const name = this.fresh(base);
    const copy = new Float32Array(values); // own, aligned buffer
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(copy.buffer) });
    return name;
  }

  int64(base: string, values: number[]): string {
    const name = this.fresh(base);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: DataType.INT64, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  /** Adds a node whose single output is named after `outBase`; returns that name. */
  node(opType: string, inputs: string[], outBase: string, attrs: Record<string, OnnxAttr> = {}): string {
    const output = this.fresh(outBase);
    this.nodes.push({
      opType,
      input: inputs,
      output: [output],
      name: output,
      attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)),
    });
    return output;
  }

  encode(producer: string, docString: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: producer,
      docString,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'converted', node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: Dim[]): O.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } } };
}

function attr(name: string, value: OnnxAttr): O.IAttributeProto {
  if (Array.isArray(value)) return { name, type: AttrType.INTS, ints: value };
  if (typeof value === 'number') return { name, type: AttrType.INT, i: value };
  if (typeof value === 'string') return { name, type: AttrType.STRING, s: new TextEncoder().encode(value) };
  if ('floats' in value) return { name, type: AttrType.FLOATS, floats: value.floats };
  return { name, type: AttrType.FLOAT, f: value.float };
}
