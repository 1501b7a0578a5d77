import { boxMean } from '../../mask/box-filter.js';

/**
 * Colour guided filter (He, Sun, Tang: "Guided Image Filtering", TPAMI 2013), as used to refine a coarse
 * matte: locally q = a·I + b with (a, b) the least-squares fit of the coarse matte p from the photo I in
 * each window, so q's edges follow the photo's edges. This computes the averaged coefficients (ā, b̄) at
 * some working resolution; `applyCoefficients` evaluates them against the photo at full resolution
 * (the "fast guided filter", He & Sun 2015), so the result has the photo's detail at any size.
 */
export interface GuidedCoefficients {
  width: number;
  height: number;
  /** Interleaved [aR, aG, aB, b] per pixel. */
  data: Float32Array;
}

/** guide: RGB bytes (width·height·3); p: the coarse matte at the same size; eps on the [0, 1] intensity scale. */
export function guidedCoefficients(guide: Uint8Array, p: Float32Array, width: number, height: number, r: number, eps: number): GuidedCoefficients {
  const n = width * height;
  const R = new Float32Array(n);
  const G = new Float32Array(n);
  const B = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    R[i] = guide[i * 3] / 255;
    G[i] = guide[i * 3 + 1] / 255;
    B[i] = guide[i * 3 + 2] / 255;
  }
  const box = (a: Float32Array) => boxMean(a, width, height, r);
  const prod = (a: Float32Array, b: Float32Array) => {
    const o = new Float32Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i] * b[i];
    return box(o);
  };
  const mR = box(R), mG = box(G), mB = box(B), mp = box(p);
  const rr = prod(R, R), rg = prod(R, G), rb = prod(R, B), gg = prod(G, G), gb = prod(G, B), bb = prod(B, B);
  const rp = prod(R, p), gp = prod(G, p), bp = prod(B, p);
  const aR = new Float32Array(n), aG = new Float32Array(n), aB = new Float32Array(n), b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Covariance of the guide in the window (+ eps·I) and its covariance with p.
    const s00 = rr[i] - mR[i] * mR[i] + eps, s01 = rg[i] - mR[i] * mG[i], s02 = rb[i] - mR[i] * mB[i];
    const s11 = gg[i] - mG[i] * mG[i] + eps, s12 = gb[i] - mG[i] * mB[i], s22 = bb[i] - mB[i] * mB[i] + eps;
    const c0 = rp[i] - mR[i] * mp[i], c1 = gp[i] - mG[i] * mp[i], c2 = bp[i] - mB[i] * mp[i];
    // Inverse of the symmetric 3x3 by cofactors (positive definite thanks to eps).
    const i00 = s11 * s22 - s12 * s12, i01 = s02 * s12 - s01 * s22, i02 = s01 * s12 - s02 * s11;
    const i11 = s00 * s22 - s02 * s02, i12 = s01 * s02 - s00 * s12, i22 = s00 * s11 - s01 * s01;
    const det = s00 * i00 + s01 * i01 + s02 * i02;
    const x = (i00 * c0 + i01 * c1 + i02 * c2) / det;
    const y = (i01 * c0 + i11 * c1 + i12 * c2) / det;
    const z = (i02 * c0 + i12 * c1 + i22 * c2) / det;
    aR[i] = x;
    aG[i] = y;
    aB[i] = z;
    b[i] = mp[i] - x * mR[i] - y * mG[i] - z * mB[i];
  }
  const ma = [box(aR), box(aG), box(aB), box(b)];
  const data = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) for (let c = 0; c < 4; c++) data[i * 4 + c] = ma[c][i];
  return { width, height, data };
}

/**
 * q = ā·I + b̄ at the photo's own resolution, the coefficients sampled bilinearly (half-pixel centres),
 * clamped to [0, 1]. Streams row by row: no full-resolution coefficient planes are held.
 */
export function applyCoefficients(coef: GuidedCoefficients, image: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const cw = coef.width, ch = coef.height, d = coef.data;
  const sx = cw / width, sy = ch / height;
  const x0s = new Int32Array(width), x1s = new Int32Array(width), fxs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const s = Math.min(cw - 1, Math.max(0, (x + 0.5) * sx - 0.5));
    const f = Math.floor(s);
    x0s[x] = f * 4;
    x1s[x] = Math.min(cw - 1, f + 1) * 4;
    fxs[x] = s - f;
  }
  for (let y = 0; y < height; y++) {
    const s = Math.min(ch - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const f = Math.floor(s);
    const r0 = f * cw * 4, r1 = Math.min(ch - 1, f + 1) * cw * 4, fy = s - f;
    for (let x = 0; x < width; x++) {
      const a = r0 + x0s[x], b = r0 + x1s[x], c = r1 + x0s[x], e = r1 + x1s[x], fx = fxs[x];
      const i = (y * width + x) * 3;
      let q = 0;
      for (let k = 0; k < 4; k++) {
        const top = d[a + k] + (d[b + k] - d[a + k]) * fx;
        const coefficient = top + (d[c + k] + (d[e + k] - d[c + k]) * fx - top) * fy;
        q += k < 3 ? (coefficient * image[i + k]) / 255 : coefficient;
      }
      out[y * width + x] = q > 0 ? (q < 1 ? q : 1) : 0;
    }
  }
  return out;
}
