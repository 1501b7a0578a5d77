import { boxRow, ColumnBox } from '../filters.js';

/**
 * Guided filter (He et al.): smooths `p` while snapping its edges to the edges of the guide `I`.
 * Used to turn a coarse subject mask into a matte that follows the photo's real outline.
 * The box means are fused row by row (products, both passes, the linear coefficients), so only the
 * horizontal passes are kept as planes; the numbers are those of separate boxBlur calls.
 */
export function guidedFilter(I: Float32Array, p: Float32Array, w: number, h: number, r: number, eps: number): Float32Array {
  const n = w * h;
  const hI = new Float32Array(n);
  const hp = new Float32Array(n);
  const hIp = new Float32Array(n);
  const hII = new Float32Array(n);
  const Ip = new Float32Array(w);
  const II = new Float32Array(w);
  for (let y = 0, o = 0; y < h; y++, o += w) {
    products(I, p, o, w, Ip, II);
    boxRow(I, o, hI, o, w, r);
    boxRow(p, o, hp, o, w, r);
    boxRow(Ip, 0, hIp, o, w, r);
    boxRow(II, 0, hII, o, w, r);
  }
  // Per pixel a linear model p ≈ a·I + b over the window; its coefficients are averaged in turn.
  const vI = new ColumnBox(hI, w, h, r);
  const vp = new ColumnBox(hp, w, h, r);
  const vIp = new ColumnBox(hIp, w, h, r);
  const vII = new ColumnBox(hII, w, h, r);
  const mI = new Float32Array(w);
  const mp = new Float32Array(w);
  const mIp = new Float32Array(w);
  const mII = new Float32Array(w);
  const a = new Float32Array(w);
  const b = new Float32Array(w);
  const ha = new Float32Array(n);
  const hb = new Float32Array(n);
  for (let y = 0, o = 0; y < h; y++, o += w) {
    vI.next(mI, 0);
    vp.next(mp, 0);
    vIp.next(mIp, 0);
    vII.next(mII, 0);
    coefficients(mI, mp, mIp, mII, eps, a, b);
    boxRow(a, 0, ha, o, w, r);
    boxRow(b, 0, hb, o, w, r);
  }
  const va = new ColumnBox(ha, w, h, r);
  const vb = new ColumnBox(hb, w, h, r);
  const out = new Float32Array(n);
  for (let y = 0, o = 0; y < h; y++, o += w) {
    va.next(a, 0);
    vb.next(b, 0);
    apply(a, b, I, out, o, w);
  }
  return out;
}

function products(I: Float32Array, p: Float32Array, o: number, w: number, Ip: Float32Array, II: Float32Array): void {
  for (let x = 0; x < w; x++) {
    Ip[x] = I[o + x] * p[o + x];
    II[x] = I[o + x] * I[o + x];
  }
}

/** Per pixel of a row: a = cov(I, p) / (var(I) + eps), b = mean(p) - a·mean(I). */
function coefficients(mI: Float32Array, mp: Float32Array, mIp: Float32Array, mII: Float32Array, eps: number, a: Float32Array, b: Float32Array): void {
  for (let x = 0; x < a.length; x++) {
    const cov = mIp[x] - mI[x] * mp[x];
    const v = mII[x] - mI[x] * mI[x];
    a[x] = cov / (v + eps);
    b[x] = mp[x] - a[x] * mI[x];
  }
}

function apply(a: Float32Array, b: Float32Array, I: Float32Array, out: Float32Array, o: number, w: number): void {
  for (let x = 0; x < w; x++) out[o + x] = a[x] * I[o + x] + b[x];
}
