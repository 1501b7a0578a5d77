/** Constant re-layouts done at conversion time (so the ONNX graph has no transposes of weights). */

export function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** out[perm-permuted index] = data[index]: an N-d transpose; out's dims are dims[perm[k]]. */
export function permute(data: Float32Array, dims: number[], perm: number[]): { dims: number[]; data: Float32Array } {
  const rank = dims.length;
  if (perm.length !== rank) throw new Error(`permutation [${perm}] does not fit shape [${dims}]`);
  const outDims = perm.map((p) => dims[p]);
  const inStrides = strides(dims);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += idx[k] * inStrides[perm[k]];
    out[o] = data[src];
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k] < outDims[k]) break;
      idx[k] = 0;
    }
  }
  return { dims: outDims, data: out };
}

function strides(dims: number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let k = dims.length - 2; k >= 0; k--) s[k] = s[k + 1] * dims[k + 1];
  return s;
}

/**
 * A constant that broadcasts against an NHWC tensor, laid out to broadcast against the same tensor in
 * NCHW: right-aligned to rank 4 (NumPy rules), then [N, H, W, C] -> [N, C, H, W]. Scalars stay scalars.
 */
export function broadcastToNchw(data: Float32Array, dims: number[]): { dims: number[]; data: Float32Array } {
  if (dims.length === 0) return { dims, data };
  if (dims.length > 4) throw new Error(`a constant of rank ${dims.length} can not broadcast against a 4-D image tensor`);
  const four = [...new Array<number>(4 - dims.length).fill(1), ...dims];
  return permute(data, four, [0, 3, 1, 2]);
}

/** NumPy broadcasting of two shapes. */
export function broadcastShapes(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const x = a[a.length - rank + k] ?? 1;
    const y = b[b.length - rank + k] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}
