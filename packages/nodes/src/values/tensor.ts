/** A named dense tensor. Maps 1:1 onto a safetensors entry (the disk cache tier writes these). */
export interface Tensor {
  dtype: 'float32' | 'float16' | 'uint8' | 'int32' | 'int64';
  shape: number[];
  data: Float32Array | Uint16Array | Uint8Array | Int32Array | BigInt64Array;
}

export function tensorBytes(t: Tensor): number {
  return t.data.byteLength;
}

export function float32Tensor(shape: number[], data?: Float32Array): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== n) throw new Error(`Tensor data has ${data.length} values, shape ${shape.join('x')} needs ${n}`);
  return { dtype: 'float32', shape, data: data ?? new Float32Array(n) };
}
