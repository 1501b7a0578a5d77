/** Euclidean length of (a, b, c): colour distances per cell (a plain function, so it inlines into the loops). */
export function distance3(a: number, b: number, c: number): number {
  return Math.sqrt(a * a + b * b + c * c);
}
