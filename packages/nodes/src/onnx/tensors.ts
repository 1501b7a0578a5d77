import * as ort from 'onnxruntime-node';
import { fromHalfArray, toHalfArray } from './fp16.js';

/** A float tensor in the session's precision (fp16 sessions get half floats; the data is converted once). */
export function floatTensor(type: 'float32' | 'float16', data: Float32Array, dims: number[]): ort.Tensor {
  if (type === 'float16') return new ort.Tensor('float16', toHalfArray(data), dims);
  return new ort.Tensor('float32', data, dims);
}

export function int64Tensor(values: ArrayLike<number>, dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(v))), dims);
}

/** The values of a float output as float32 (converting half floats). */
export function readFloat(tensor: ort.Tensor): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') {
    const data = tensor.data as unknown;
    if (data instanceof Uint16Array) return fromHalfArray(data);
    return Float32Array.from(data as ArrayLike<number>);
  }
  throw new Error(`expected a float tensor, got ${tensor.type}`);
}

export function dimsOf(tensor: ort.Tensor): number[] {
  return tensor.dims.map(Number);
}

/**
 * A float input tensor created once and refilled every call: in float32 it is a view of `source` (no copy);
 * in float16 it owns a half-float buffer that `sync()` refreshes from `source`.
 */
export interface ReusableTensor {
  tensor: ort.Tensor;
  sync(): void;
}

export function reusableTensor(type: 'float32' | 'float16', source: Float32Array, dims: number[]): ReusableTensor {
  if (type === 'float32') return { tensor: new ort.Tensor('float32', source, dims), sync: () => {} };
  const half = new Uint16Array(source.length);
  return { tensor: new ort.Tensor('float16', half, dims), sync: () => void toHalfArray(source, half) };
}
