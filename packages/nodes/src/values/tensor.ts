import type { TensorData } from '@kinegraph/graph-core';

/** A named dense tensor: graph-core's TensorData, which maps 1:1 onto a safetensors entry (the disk tier writes these). */
export type Tensor = TensorData;

export function tensorBytes(t: Tensor): number {
  return t.data.byteLength;
}

export function float32Tensor(shape: number[], data?: Float32Array): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== n) throw new Error(`Tensor data has ${data.length} values, shape ${shape.join('x')} needs ${n}`);
  return { dtype: 'float32', shape, data: data ?? new Float32Array(n) };
}
