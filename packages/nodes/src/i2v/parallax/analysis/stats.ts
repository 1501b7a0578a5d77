/** Plane statistics as small shared loops (one compiled copy serves every stage). */

/** Sum of all values, in index order. */
export function total(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** Sum of squared deviations from m, in index order. */
export function spread(a: Float32Array, m: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return s;
}

/** smoothstep(e0, e1, v) of every value, in place. */
export function smoothstepPlane(v: Float32Array, e0: number, e1: number): Float32Array {
  for (let i = 0; i < v.length; i++) {
    let t = (v[i] - e0) / (e1 - e0);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    v[i] = t * t * (3 - 2 * t);
  }
  return v;
}
