import type { MattingLaplacian } from './matting-laplacian.js';

export interface SolveOptions {
  /** Stop when the preconditioned residual has fallen by this factor. */
  tolerance: number;
  maxIterations: number;
  /** Called every few iterations; may throw to stop (an interrupted run). */
  onIteration?: (iteration: number) => void;
  /** A soft data term w·(α − prior)² on the unknown pixels (a rough mask's own values); none when absent. */
  prior?: { values: Float64Array; weight: number };
}

export interface SolveResult {
  alpha: Float64Array;
  iterations: number;
  /** Final residual norm relative to the first. */
  residual: number;
}

/**
 * Minimises αᵀLα with α fixed on the known pixels (hard constraints, as Levin et al.'s λ → ∞): the
 * unknown part solves L_uu α_u = −L_uk α_k. Preconditioned conjugate gradients (Jacobi, the diagonal of L)
 * on the whole grid with every vector kept zero on known pixels, so L is only ever applied, never stored.
 * `start` holds the known values (0 or 1) and the initial guess in the unknown region. With a prior the
 * system is (L_uu + w·I) α_u = −L_uk α_k + w·prior_u (Levin et al.'s soft constraints, as for scribbles):
 * where the colours say nothing the mask's own value stays, so a thin arm inside the band is not lost.
 */
export function solveAlpha(L: MattingLaplacian, unknown: Uint8Array, start: Float64Array, o: SolveOptions): SolveResult {
  const n = L.n;
  const alpha = Float64Array.from(start);
  const diag = L.diagonal();
  const w = o.prior?.weight ?? 0;
  const prior = o.prior?.values;
  if (w > 0) for (let i = 0; i < n; i++) diag[i] += w;
  const r = new Float64Array(n),
    z = new Float64Array(n),
    p = new Float64Array(n),
    q = new Float64Array(n);
  L.apply(alpha, q);
  let rz = 0;
  for (let i = 0; i < n; i++) {
    if (!unknown[i]) continue;
    r[i] = -q[i] - (prior ? w * (alpha[i] - prior[i]) : 0);
    z[i] = r[i] / Math.max(diag[i], 1e-12);
    p[i] = z[i];
    rz += r[i] * z[i];
  }
  const rz0 = rz;
  let iterations = 0;
  while (iterations < o.maxIterations && rz > 0 && rz > rz0 * o.tolerance * o.tolerance) {
    L.apply(p, q);
    let pq = 0;
    for (let i = 0; i < n; i++) {
      if (!unknown[i]) continue;
      q[i] += w * p[i];
      pq += p[i] * q[i];
    }
    if (!(pq > 0)) break;
    const step = rz / pq;
    let next = 0;
    for (let i = 0; i < n; i++) {
      if (!unknown[i]) continue;
      alpha[i] += step * p[i];
      r[i] -= step * q[i];
      z[i] = r[i] / Math.max(diag[i], 1e-12);
      next += r[i] * z[i];
    }
    const beta = next / rz;
    rz = next;
    for (let i = 0; i < n; i++) if (unknown[i]) p[i] = z[i] + beta * p[i];
    iterations++;
    if (iterations % 10 === 0) o.onIteration?.(iterations);
  }
  return { alpha, iterations, residual: rz0 > 0 ? Math.sqrt(rz / rz0) : 0 };
}
