/** IEEE 754 half precision <-> float32, round to nearest even (for fp16 model inputs and outputs). */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  return sign | (half + (rem > 0x1000 || (rem === 0x1000 && half & 1) ? 1 : 0));
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Bulk float32 -> half (round to nearest even), reading the float bits through a Uint32Array view. */
export function toHalfArray(values: ArrayLike<number>, out = new Uint16Array(values.length)): Uint16Array {
  if (!(values instanceof Float32Array)) {
    for (let i = 0; i < values.length; i++) out[i] = toHalf(values[i]);
    return out;
  }
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i];
    const sign = (x >>> 16) & 0x8000;
    const e = ((x >>> 23) & 0xff) - 112; // rebias 127 -> 15
    const mant = x & 0x7fffff;
    if (e > 0 && e < 0x1f) {
      // Normal half: keep 10 mantissa bits, round to nearest even (a carry may bump the exponent, correctly).
      const half = (e << 10) | (mant >>> 13);
      const rem = mant & 0x1fff;
      out[i] = sign | (half + (rem > 0x1000 || (rem === 0x1000 && half & 1) ? 1 : 0));
    } else {
      out[i] = toHalf(values[i]); // zero, subnormal, overflow, inf, NaN: the careful path
    }
  }
  return out;
}

let halfTable: Float32Array | undefined;

/** Bulk half -> float32 through a 65536-entry table (256 KB, built on first use). */
export function fromHalfArray(values: Uint16Array, out = new Float32Array(values.length)): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = fromHalf(h);
  }
  const table = halfTable;
  for (let i = 0; i < values.length; i++) out[i] = table[values[i]];
  return out;
}
