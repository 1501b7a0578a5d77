import { boxRow, ColumnBox } from '../filters.js';

/**
 * Guided filter (He et al.): smooths `p` while snapping its edges to the edges of the guide `I`.
 * Used to turn a coarse subject mask into a matte that follows the photo's real outline.
 * Streamed row by row: each box mean's horizontal pass runs just ahead of its vertical pass, in rings of
 * 2r+2 rows that stay in cache; the numbers are those of separate boxBlur calls over whole planes.
 */
export function guidedFilter(I: Float32Array, p: Float32Array, w: number, h: number, r: number, eps: number): Float32Array {
  const ring = 2 * r + 2;
  const hI = new Float32Array(ring * w);
  const hp = new Float32Array(ring * w);
  const hIp = new Float32Array(ring * w);
  const hII = new Float32Array(ring * w);
  const Ip = new Float32Array(w);
  const II = new Float32Array(w);
  let statsRows = 0;
  // Horizontal passes of I, p, I·p and I² up to row k.
  const statsUpTo = (k: number) => {
    for (; statsRows <= k; statsRows++) {
      const o = statsRows * w;
      const d = (statsRows % ring) * w;
      products(I, p, o, w, Ip, II);
      boxRow(I, o, hI, d, w, r);
      boxRow(p, o, hp, d, w, r);
      boxRow(Ip, 0, hIp, d, w, r);
      boxRow(II, 0, hII, d, w, r);
    }
  };
  statsUpTo(Math.min(r, h - 1));
  const vI = new ColumnBox(hI, w, h, r, ring);
  const vp = new ColumnBox(hp, w, h, r, ring);
  const vIp = new ColumnBox(hIp, w, h, r, ring);
  const vII = new ColumnBox(hII, w, h, r, ring);
  const mI = new Float32Array(w);
  const mp = new Float32Array(w);
  const mIp = new Float32Array(w);
  const mII = new Float32Array(w);
  // Per pixel a linear model p ≈ a·I + b over the window; its coefficients are averaged in turn.
  const a = new Float32Array(w);
  const b = new Float32Array(w);
  const ha = new Float32Array(ring * w);
  const hb = new Float32Array(ring * w);
  let coefRows = 0;
  const coefficientsUpTo = (k: number) => {
    for (; coefRows <= k; coefRows++) {
      statsUpTo(Math.min(coefRows + r + 1, h - 1));
      vI.next(mI, 0);
      vp.next(mp, 0);
      vIp.next(mIp, 0);
      vII.next(mII, 0);
      coefficients(mI, mp, mIp, mII, eps, a, b);
      const d = (coefRows % ring) * w;
      boxRow(a, 0, ha, d, w, r);
      boxRow(b, 0, hb, d, w, r);
    }
  };
  coefficientsUpTo(Math.min(r, h - 1));
  const va = new ColumnBox(ha, w, h, r, ring);
  const vb = new ColumnBox(hb, w, h, r, ring);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    coefficientsUpTo(Math.min(y + r + 1, h - 1));
    va.next(a, 0);
    vb.next(b, 0);
    apply(a, b, I, out, y * w, w);
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
function coefficients(
  mI: Float32Array,
  mp: Float32Array,
  mIp: Float32Array,
  mII: Float32Array,
  eps: number,
  a: Float32Array,
  b: Float32Array,
): void {
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
