import { boxSum64, windowCounts } from './box-sum64.js';

/**
 * The matting Laplacian of closed-form matting (Levin, Lischinski, Weiss: "A Closed-Form Solution to
 * Natural Image Matting", TPAMI 2008), never built as a matrix. In every window w_k alpha is modelled as
 * a_k·I + b_k; the cost Σ_k Σ_{i∈w_k} (α_i − a_k·I_i − b_k)² + ε‖a_k‖² minimised over (a, b) is αᵀLα.
 * L·p is evaluated as He, Sun, Tang do ("Fast Matting Using Large Kernel Matting Laplacian Matrices",
 * CVPR 2010): fit (a_k, b_k) to p in every window like a guided filter, then
 * (Lp)_i = Σ_{k∋i} (p_i − a_k·I_i − b_k), which is two box sums per product whatever the window radius.
 * Windows are clipped at the image border (each has its own cell count).
 */
export class MattingLaplacian {
  readonly n: number;
  /** Per pixel: the window's colour mean (3) and the inverse of its covariance + ε·I (6: 00 01 02 11 12 22). */
  private readonly mu: Float64Array;
  private readonly inv: Float64Array;
  private readonly counts: Float64Array;
  private readonly rgb: Float64Array;
  private readonly bufA = new Float64Array(0);
  private readonly bufB = new Float64Array(0);
  private readonly bufT = new Float64Array(0);

  /** rgb: interleaved colours in [0, 1]; r: window radius; eps: the regulariser on the [0, 1] scale. */
  constructor(
    rgb: Float64Array,
    readonly width: number,
    readonly height: number,
    readonly r: number,
    eps: number,
  ) {
    const n = width * height;
    this.n = n;
    this.rgb = rgb;
    this.counts = windowCounts(width, height, r);
    const moments = new Float64Array(n * 9);
    for (let i = 0; i < n; i++) {
      const R = rgb[i * 3],
        G = rgb[i * 3 + 1],
        B = rgb[i * 3 + 2],
        o = i * 9;
      moments[o] = R;
      moments[o + 1] = G;
      moments[o + 2] = B;
      moments[o + 3] = R * R;
      moments[o + 4] = R * G;
      moments[o + 5] = R * B;
      moments[o + 6] = G * G;
      moments[o + 7] = G * B;
      moments[o + 8] = B * B;
    }
    const sums = boxSum64(moments, width, height, 9, r, moments, new Float64Array(n * 9));
    this.mu = new Float64Array(n * 3);
    this.inv = new Float64Array(n * 6);
    for (let i = 0; i < n; i++) {
      const o = i * 9,
        k = 1 / this.counts[i];
      const mR = sums[o] * k,
        mG = sums[o + 1] * k,
        mB = sums[o + 2] * k;
      const s00 = sums[o + 3] * k - mR * mR + eps,
        s01 = sums[o + 4] * k - mR * mG,
        s02 = sums[o + 5] * k - mR * mB,
        s11 = sums[o + 6] * k - mG * mG + eps,
        s12 = sums[o + 7] * k - mG * mB,
        s22 = sums[o + 8] * k - mB * mB + eps;
      const i00 = s11 * s22 - s12 * s12,
        i01 = s02 * s12 - s01 * s22,
        i02 = s01 * s12 - s02 * s11,
        i11 = s00 * s22 - s02 * s02,
        i12 = s01 * s02 - s00 * s12,
        i22 = s00 * s11 - s01 * s01;
      const det = 1 / (s00 * i00 + s01 * i01 + s02 * i02);
      this.mu.set([mR, mG, mB], i * 3);
      this.inv.set([i00 * det, i01 * det, i02 * det, i11 * det, i12 * det, i22 * det], i * 6);
    }
    this.bufA = new Float64Array(n * 4);
    this.bufB = new Float64Array(n * 4);
    this.bufT = new Float64Array(n * 4);
  }

  /** out = L·p (out must not be p). */
  apply(p: Float64Array, out: Float64Array): void {
    const { n, rgb, mu, inv, counts, width, height, r } = this;
    const a = this.bufA;
    for (let i = 0; i < n; i++) {
      const v = p[i],
        o = i * 4;
      a[o] = v;
      a[o + 1] = rgb[i * 3] * v;
      a[o + 2] = rgb[i * 3 + 1] * v;
      a[o + 3] = rgb[i * 3 + 2] * v;
    }
    const s = boxSum64(a, width, height, 4, r, this.bufB, this.bufT);
    // Per window: (a_k, b_k) fitted to p (a guided filter's coefficients without the averaging).
    for (let i = 0; i < n; i++) {
      const o = i * 4,
        k = 1 / counts[i];
      const pm = s[o] * k;
      const mR = mu[i * 3],
        mG = mu[i * 3 + 1],
        mB = mu[i * 3 + 2];
      const c0 = s[o + 1] * k - mR * pm,
        c1 = s[o + 2] * k - mG * pm,
        c2 = s[o + 3] * k - mB * pm;
      const q = i * 6;
      const a0 = inv[q] * c0 + inv[q + 1] * c1 + inv[q + 2] * c2;
      const a1 = inv[q + 1] * c0 + inv[q + 3] * c1 + inv[q + 4] * c2;
      const a2 = inv[q + 2] * c0 + inv[q + 4] * c1 + inv[q + 5] * c2;
      a[o] = a0;
      a[o + 1] = a1;
      a[o + 2] = a2;
      a[o + 3] = pm - a0 * mR - a1 * mG - a2 * mB;
    }
    const t = boxSum64(a, width, height, 4, r, this.bufB, this.bufT);
    for (let i = 0; i < n; i++) {
      const o = i * 4;
      const fit = t[o] * rgb[i * 3] + t[o + 1] * rgb[i * 3 + 1] + t[o + 2] * rgb[i * 3 + 2] + t[o + 3];
      out[i] = counts[i] * p[i] - fit;
    }
  }

  /**
   * The diagonal L_ii = Σ_{k∋i} [1 − (1 + (I_i − μ_k)ᵀ Δ_k (I_i − μ_k)) / n_k] (for a Jacobi
   * preconditioner), from box sums of Δ_k/n_k, Δ_kμ_k/n_k and (1 + μ_kᵀΔ_kμ_k)/n_k.
   */
  diagonal(): Float64Array {
    const { n, rgb, mu, inv, counts, width, height, r } = this;
    const w = new Float64Array(n * 10);
    for (let i = 0; i < n; i++) {
      const k = 1 / counts[i],
        q = i * 6,
        o = i * 10;
      const mR = mu[i * 3],
        mG = mu[i * 3 + 1],
        mB = mu[i * 3 + 2];
      const d0 = inv[q] * mR + inv[q + 1] * mG + inv[q + 2] * mB;
      const d1 = inv[q + 1] * mR + inv[q + 3] * mG + inv[q + 4] * mB;
      const d2 = inv[q + 2] * mR + inv[q + 4] * mG + inv[q + 5] * mB;
      for (let j = 0; j < 6; j++) w[o + j] = inv[q + j] * k;
      w[o + 6] = d0 * k;
      w[o + 7] = d1 * k;
      w[o + 8] = d2 * k;
      w[o + 9] = (1 + d0 * mR + d1 * mG + d2 * mB) * k;
    }
    const s = boxSum64(w, width, height, 10, r, w);
    const diag = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * 10;
      const R = rgb[i * 3],
        G = rgb[i * 3 + 1],
        B = rgb[i * 3 + 2];
      const quad = s[o] * R * R + s[o + 3] * G * G + s[o + 5] * B * B + 2 * (s[o + 1] * R * G + s[o + 2] * R * B + s[o + 4] * G * B);
      const lin = s[o + 6] * R + s[o + 7] * G + s[o + 8] * B;
      diag[i] = counts[i] - (quad - 2 * lin + s[o + 9]);
    }
    return diag;
  }
}
