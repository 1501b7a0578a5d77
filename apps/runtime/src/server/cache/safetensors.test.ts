import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type TensorData } from './safetensors.js';

function join(parts: ReturnType<typeof encodeSafetensors>): Uint8Array {
  const out = new Uint8Array(parts.byteLength);
  out.set(parts.head, 0);
  let at = parts.head.length;
  for (const c of parts.chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

describe('safetensors', () => {
  it('round-trips every dtype with metadata, aligned', () => {
    const tensors: Record<string, TensorData> = {
      a_u8: { dtype: 'uint8', shape: [3], data: new Uint8Array([1, 2, 3]) },
      b_f32: { dtype: 'float32', shape: [2, 2], data: new Float32Array([0.5, -1, 2, 3.25]) },
      c_f16: { dtype: 'float16', shape: [1], data: new Uint16Array([0x3c00]) },
      d_i64: { dtype: 'int64', shape: [2], data: new BigInt64Array([5n, -7n]) },
      e_i32: { dtype: 'int32', shape: [1, 1], data: new Int32Array([42]) },
    };
    const bytes = join(encodeSafetensors(tensors, { family: 'parallax', meta: '{"x":1}' }));
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.b_f32.dtype).toBe('F32');
    expect(header.__metadata__).toEqual({ family: 'parallax', meta: '{"x":1}' });
    const back = decodeSafetensors(bytes);
    expect(back.metadata.family).toBe('parallax');
    for (const [k, t] of Object.entries(tensors)) {
      expect(back.tensors[k]!.dtype).toBe(t.dtype);
      expect(back.tensors[k]!.shape).toEqual(t.shape);
      expect(Array.from(back.tensors[k]!.data as ArrayLike<number | bigint>)).toEqual(Array.from(t.data as ArrayLike<number | bigint>));
    }
  });

  it('copies tensors whose bytes are not aligned in the source buffer', () => {
    const bytes = join(encodeSafetensors({ x: { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) } }));
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const back = decodeSafetensors(shifted.subarray(1));
    expect(Array.from(back.tensors.x!.data as Float32Array)).toEqual([1, 2]);
  });

  it('rejects a truncated file', () => {
    const bytes = join(encodeSafetensors({ x: { dtype: 'float32', shape: [4], data: new Float32Array(4) } }));
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4))).toThrow(/offsets/);
  });
});
