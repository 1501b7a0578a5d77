/**
 * Platform-independent Gaussian noise: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11) as a counter-based generator, then Box-Muller in float64, rounded to float32.
 * Element k of stream s under seed S is a pure function of (S, s, k): the same on every machine, in any
 * order, and in every future version. The exact algorithm is written down in docs/models.md.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 values (exact; float64 never sees more than 2^53). */
function mulhi32(a: number, b: number): number {
  const ah = a >>> 16;
  const al = a & 0xffff;
  const bh = b >>> 16;
  const bl = b & 0xffff;
  const lolo = al * bl;
  const hilo = ah * bl;
  const lohi = al * bh;
  const carry = ((lolo >>> 16) + (hilo & 0xffff) + (lohi & 0xffff)) >>> 16;
  return (ah * bh + (hilo >>> 16) + (lohi >>> 16) + carry) >>> 0;
}

/** Philox4x32 with 10 rounds: counter (c0..c3) and key (k0, k1), all uint32. Writes 4 uint32 into out. */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi32(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const TWO_PI = 2 * Math.PI;

/** A uniform in the open interval (0, 1) from two uint32 words: 27 + 26 bits, centred in its 2^-53 cell. */
function uniform53(a: number, b: number): number {
  return ((a >>> 5) * TWO_POW_26 + (b >>> 6) + 0.5) / TWO_POW_53;
}

/** Splits a seed (any integer 0..2^53-1; others are reduced) into the two Philox key words. */
export function seedKey(seed: number): [number, number] {
  const s = Math.floor(Math.abs(seed)) % TWO_POW_53;
  return [(s % 4294967296) >>> 0, Math.floor(s / 4294967296) >>> 0];
}

/** Well-known streams, so adding a new use of noise never shifts the noise an old one saw. */
export const NoiseStream = {
  initial: 0,
  augmentation: 1,
  /** Stochastic samplers draw step i's noise from stream `step + i`. */
  step: 1024,
} as const;

/**
 * Fills `out` with standard normal values of (seed, stream), starting at element `offset`.
 * Pair p (elements 2p and 2p+1) comes from one Philox block with counter (p mod 2^32, p div 2^32, stream, 0).
 */
export function gaussianNoise(seed: number, stream: number, out: Float32Array | Float64Array, offset = 0): void {
  const [k0, k1] = seedKey(seed);
  const block = new Uint32Array(4);
  const n = out.length;
  let i = 0;
  const start = offset;
  while (i < n) {
    const element = start + i;
    const pair = Math.floor(element / 2);
    philox4x32((pair % 4294967296) >>> 0, Math.floor(pair / 4294967296) >>> 0, stream >>> 0, 0, k0, k1, block);
    const u1 = uniform53(block[0], block[1]);
    const u2 = uniform53(block[2], block[3]);
    const r = Math.sqrt(-2 * Math.log(u1));
    const angle = TWO_PI * u2;
    if (element % 2 === 0) {
      out[i++] = r * Math.cos(angle);
      if (i < n) out[i++] = r * Math.sin(angle);
    } else {
      out[i++] = r * Math.sin(angle);
    }
  }
}

/** A fresh array of n standard normal values. */
export function gaussian(seed: number, stream: number, n: number): Float32Array {
  const out = new Float32Array(n);
  gaussianNoise(seed, stream, out);
  return out;
}
