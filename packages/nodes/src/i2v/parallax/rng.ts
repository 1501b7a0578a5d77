/** Deterministic PRNG (mulberry32) seeded from a 53-bit seed and a stream name, so each use gets its own sequence. */
export function createRng(seed: number, stream = ''): () => number {
  let h = (Math.floor(seed) ^ Math.floor(seed / 0x100000000)) >>> 0;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x9e3779b1) >>> 0;
  h = (h + 0x6d2b79f5) >>> 0;
  let a = h;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
