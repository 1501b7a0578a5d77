/** A small seeded generator (splitmix32 over both halves of a 53-bit seed): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let state = (Math.floor(seed / 2 ** 32) ^ 0x9e3779b9 ^ Math.imul(seed >>> 0, 0x85ebca6b)) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 4294967296;
  };
}
