import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

/**
 * int8 quantization of a converted fp32 ONNX graph, in QDQ form: every activation a Conv reads or writes
 * goes through QuantizeLinear -> DequantizeLinear (uint8, asymmetric, range calibrated on real tiles),
 * Conv weights become int8 (symmetric, one scale per output channel) and biases int32, each behind a
 * DequantizeLinear. onnxruntime's CPU provider fuses each DQ -> Conv -> Q group into one QLinearConv
 * (and DQ -> Add -> Q into QLinearAdd), integer kernels that run several times faster than fp32 convs.
 * A Relu right after a Conv is folded into the Q that follows it (zero point 0 clamps at 0 exactly).
 * The last Conv (the picture itself) keeps a float output, so the result is not rounded to 8 bits; convs
 * named in `keepFloat` stay fp32 altogether (they read the dequantized activation).
 */

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

/** Bumped whenever the quantizer's output for the same model and ranges changes (cache names use it). */
export const QUANTIZER_VERSION = 2;

export interface QuantizeOptions {
  /** Convs with fewer output channels than this stay float (default 1: none; measured no faster for slim's 4-filter convs). */
  minFilters?: number;
  /** Convs (by node name) that stay float: the ones whose rounding shows most in the picture. */
  keepFloat?: string[];
}

/** Observed [min, max] of each activation, by tensor name (what `calibrationModel` lists). */
export type ActivationRanges = Record<string, [number, number]>;

interface Plan {
  model: O.ModelProto;
  /** Tensors to quantize, as consumers see them (a folded Relu's output). */
  targets: string[];
  /** Relu nodes folded into the Q of their Conv's output: relu output -> conv output. */
  folded: Map<string, string>;
  /** The Convs that get int8 weights. */
  convs: Set<O.INodeProto>;
}

function plan(bytes: Uint8Array, o: QuantizeOptions): Plan {
  const model = onnx.ModelProto.decode(bytes);
  const g = model.graph!;
  const inits = new Set((g.initializer ?? []).map((t) => t.name!));
  const consumers = new Map<string, O.INodeProto[]>();
  for (const n of g.node ?? []) for (const i of n.input ?? []) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const outputs = new Set((g.output ?? []).map((o) => o.name!));
  const weights = new Map((g.initializer ?? []).map((t) => [t.name!, t]));
  const floatConvs = new Set(o.keepFloat ?? []);
  const convs = (g.node ?? []).filter(
    (n) => n.opType === 'Conv' && !floatConvs.has(n.name!) && Number(weights.get(n.input![1])?.dims?.[0] ?? 0) >= (o.minFilters ?? 1),
  );
  const folded = new Map<string, string>();
  const targets = new Set<string>();
  for (const c of convs) {
    const x = c.input![0];
    if (!inits.has(x)) targets.add(x);
    if (outputReaches(c.output![0], consumers, outputs)) continue; // writes the picture: stays float
    const out = c.output![0];
    const users = consumers.get(out) ?? [];
    if (users.length === 1 && users[0].opType === 'Relu' && !outputs.has(out)) {
      folded.set(users[0].output![0], out);
      targets.add(users[0].output![0]);
    } else targets.add(out);
  }
  // Adds and Concats between quantized tensors run on integers too (QLinearAdd, QLinearConcat) when their
  // output is quantized as well.
  const quantizedIn = (n: O.INodeProto) => (n.input ?? []).every((i) => targets.has(i) || folded.has(i));
  for (const n of g.node ?? []) if ((n.opType === 'Add' || n.opType === 'Concat') && quantizedIn(n)) targets.add(n.output![0]);
  return { model, targets: [...targets], folded, convs: new Set(convs) };
}

/** True when `name` flows to a graph output through layout-only ops (Transpose, Identity, DepthToSpace). */
function outputReaches(name: string, consumers: Map<string, O.INodeProto[]>, outputs: Set<string>): boolean {
  if (outputs.has(name)) return true;
  return (consumers.get(name) ?? []).some(
    (n) => ['Transpose', 'Identity', 'DepthToSpace'].includes(n.opType!) && outputReaches(n.output![0], consumers, outputs),
  );
}

/** The tensors whose ranges quantization needs, and the fp32 model with each of them as an extra output (to observe them). */
export function calibrationModel(bytes: Uint8Array, o: QuantizeOptions = {}): { onnx: Uint8Array; targets: string[] } {
  const { model, targets } = plan(bytes, o);
  const g = model.graph!;
  for (const t of targets) g.output!.push({ name: t, type: { tensorType: { elemType: DT.FLOAT } } });
  return { onnx: onnx.ModelProto.encode(model).finish(), targets };
}

/** uint8 asymmetric parameters covering [lo, hi] and 0 (so zero padding is exact). */
export function activationParams([lo, hi]: [number, number]): { scale: number; zeroPoint: number } {
  const a = Math.min(0, lo);
  const b = Math.max(0, hi, a + 1e-6);
  const scale = (b - a) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-a / scale))) };
}

export function quantizeQdq(bytes: Uint8Array, ranges: ActivationRanges, docString: string, o: QuantizeOptions = {}): Uint8Array {
  const { model, targets, folded, convs } = plan(bytes, o);
  const g = model.graph!;
  const inits = new Map((g.initializer ?? []).map((t) => [t.name!, t]));
  const newInits: O.ITensorProto[] = [];
  const newNodes: O.INodeProto[] = [];
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const t of targets) {
    const r = ranges[t];
    if (!r) throw new Error(`no calibrated range for activation "${t}"`);
    params.set(t, activationParams(folded.has(t) ? [0, r[1]] : r));
  }
  const rename = new Map<string, string>();
  for (const t of targets) rename.set(t, `${t}/dq`);

  for (const n of g.node ?? []) {
    const out0 = n.output?.[0];
    if (n.opType === 'Relu' && out0 && folded.has(out0)) continue; // its Q clamps at zero
    if (n.opType === 'Conv') {
      const x = n.input![0];
      const xp = params.get(x);
      const w = inits.get(n.input![1])!;
      const b = n.input![2] ? inits.get(n.input![2]) : undefined;
      n.input![0] = rename.get(x) ?? x;
      if (xp && w && convs.has(n)) {
        const q = quantizeWeights(floats(w), w.dims!.map(Number));
        const wName = `${w.name}/int8`;
        newInits.push(tensor(wName, w.dims!.map(Number), DT.INT8, new Uint8Array(q.data.buffer)));
        newInits.push(tensor(`${wName}/scale`, [q.scales.length], DT.FLOAT, new Uint8Array(q.scales.buffer)));
        newInits.push(tensor(`${wName}/zero`, [q.scales.length], DT.INT8, new Uint8Array(q.scales.length)));
        newNodes.push(node('DequantizeLinear', [wName, `${wName}/scale`, `${wName}/zero`], `${w.name}/dq`, { axis: 0 }));
        n.input![1] = `${w.name}/dq`;
        if (b) {
          // Bias on the accumulator's scale (input scale x weight scale), as QLinearConv adds it.
          const bf = floats(b);
          const bs = new Float32Array(q.scales.map((s) => s * xp.scale));
          const bq = new Int32Array(bf.length);
          for (let o = 0; o < bf.length; o++) bq[o] = Math.round(bf[o] / bs[o]);
          const bName = `${b.name}/int32`;
          newInits.push(tensor(bName, [bf.length], DT.INT32, new Uint8Array(bq.buffer)));
          newInits.push(tensor(`${bName}/scale`, [bf.length], DT.FLOAT, new Uint8Array(bs.buffer)));
          newInits.push(tensor(`${bName}/zero`, [bf.length], DT.INT32, new Uint8Array(bf.length * 4)));
          newNodes.push(node('DequantizeLinear', [bName, `${bName}/scale`, `${bName}/zero`], `${b.name}/dq`, { axis: 0 }));
          n.input![2] = `${b.name}/dq`;
        }
      }
      newNodes.push(n);
      const reluOut = [...folded.entries()].find(([, conv]) => conv === out0)?.[0];
      const t = reluOut ?? out0!;
      if (params.has(t)) qdq(t, out0!);
      continue;
    }
    n.input = (n.input ?? []).map((i) => rename.get(i) ?? i);
    newNodes.push(n);
    for (const o of n.output ?? []) if (params.has(o)) qdq(o, o);
  }
  // The graph input (or a tensor made before any node) is quantized where it is declared.
  for (const t of targets)
    if (!newNodes.some((n) => n.output?.includes(`${t}/dq`))) throw new Error(`activation "${t}" has no producer to quantize after`);

  function qdq(t: string, source: string): void {
    const { scale, zeroPoint } = params.get(t)!;
    newInits.push(tensor(`${t}/scale`, [], DT.FLOAT, new Uint8Array(new Float32Array([scale]).buffer)));
    newInits.push(tensor(`${t}/zero`, [], DT.UINT8, new Uint8Array([zeroPoint])));
    newNodes.push(node('QuantizeLinear', [source, `${t}/scale`, `${t}/zero`], `${t}/q`));
    newNodes.push(node('DequantizeLinear', [`${t}/q`, `${t}/scale`, `${t}/zero`], `${t}/dq`));
  }

  // Float weights and biases of quantized convs are no longer read.
  const read = new Set(newNodes.flatMap((n) => n.input ?? []));
  g.initializer = [...(g.initializer ?? []).filter((t) => read.has(t.name!)), ...newInits];
  g.node = newNodes;
  model.docString = docString;
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Weights use 7 of int8's bits (±63), as ONNX Runtime's `reduce_range`: on x86 CPUs without VNNI (AVX2 and
 * plain AVX-512, most laptops and this project's CI machines) ORT's uint8 x int8 kernels add pairs of
 * products in 16 bits (vpmaddubsw), which saturate with full-range weights: the same file gave 45+ dB
 * against fp32 on a VNNI machine and 33.9 dB on an AVX2 one. With 255 x 63 x 2 < 32768 nothing saturates,
 * so every CPU computes the same values.
 */
const WEIGHT_LEVELS = 63;

/** Symmetric int8 per output channel (axis 0): scale = max |w| / 63 (7 bits, see WEIGHT_LEVELS). */
export function quantizeWeights(w: Float32Array, dims: number[]): { data: Int8Array; scales: Float32Array } {
  const outC = dims[0];
  const per = w.length / outC;
  const data = new Int8Array(w.length);
  const scales = new Float32Array(outC);
  for (let o = 0; o < outC; o++) {
    let m = 0;
    for (let i = 0; i < per; i++) m = Math.max(m, Math.abs(w[o * per + i]));
    const s = m > 0 ? m / WEIGHT_LEVELS : 1;
    scales[o] = s;
    for (let i = 0; i < per; i++) data[o * per + i] = Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, Math.round(w[o * per + i] / s)));
  }
  return { data, scales };
}

function floats(t: O.ITensorProto): Float32Array {
  if (t.dataType !== DT.FLOAT || !t.rawData) throw new Error(`initializer ${t.name} is not raw float32`);
  const raw = t.rawData;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function tensor(name: string, dims: number[], dataType: number, rawData: Uint8Array): O.ITensorProto {
  return { name, dims, dataType, rawData };
}

function node(opType: string, input: string[], output: string, attrs: Record<string, number> = {}): O.INodeProto {
  return {
    opType,
    input,
    output: [output],
    name: output,
    attribute: Object.entries(attrs).map(([name, i]) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i })),
  };
}
