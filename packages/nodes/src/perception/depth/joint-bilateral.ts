import type { ImageValue } from '../../values/image.js';

export interface JointBilateralOptions {
  /** Spatial Gaussian sigma, in low-resolution pixels. */
  sigmaSpace: number;
  /** Colour Gaussian sigma, in 8-bit RGB units (Euclidean distance). */
  sigmaColour: number;
  /** Windows whose values span less than this are smooth: plain bilinear there (faster, and no colour bias). */
  flatSpan: number;
}

const TAPS = 4; // 4x4 low-resolution samples around each output pixel
const STEP_SHIFT = 4;
const STEP = 1 << STEP_SHIFT; // the colour weight table's step in squared distance (which reaches 3·255² = 195075)

/**
 * Joint bilateral upsampling (Kopf, Cohen, Lischinski & Uyttendaele 2007): each photo pixel takes a
 * weighted mean of the 4x4 nearest low-resolution values, weighted by distance and by how close the
 * photo's colour is to the colour under each sample (`lowRgb`: the photo at the low resolution). Depth
 * edges snap to the photo's colour edges, and the output stays a mean of depth values, so the photo's
 * texture is never copied into the depth (a guided filter's fault). Where the 4x4 window is flat
 * (span under `flatSpan`) the pixel is plain bilinear: most of a picture, at a fraction of the cost.
 */
export function jointBilateralUpsample(
  low: Float32Array,
  lowRgb: Uint8Array | Buffer,
  lw: number,
  lh: number,
  image: ImageValue,
  o: JointBilateralOptions,
): Float32Array {
  const { width, height, data } = image;
  const out = new Float32Array(width * height);
  const xs = taps(lw, width, o.sigmaSpace);
  const ys = taps(lh, height, o.sigmaSpace);
  const flat = flatWindows(low, lw, lh, o.flatSpan);
  const range = new Float32Array(((3 * 255 * 255) >> STEP_SHIFT) + 1);
  for (let i = 0; i < range.length; i++) range[i] = Math.exp((-i * STEP) / (2 * o.sigmaColour * o.sigmaColour)) + 1e-5;
  const xIndex = xs.index,
    xWeight = xs.weight,
    xFirst = xs.first,
    xFrac = xs.frac;
  // The 16 samples of the current window (colour and value), loaded once per window rather than per
  // pixel: a window spans several output pixels along the row.
  const sr = new Float64Array(TAPS * TAPS),
    sg = new Float64Array(TAPS * TAPS),
    sb = new Float64Array(TAPS * TAPS),
    sv = new Float64Array(TAPS * TAPS);
  const wy = new Float64Array(TAPS);
  // Bilinear in flat windows, separably: the row's two low-resolution rows blended once per output row.
  const line = new Float32Array(lw);
  for (let y = 0; y < height; y++) {
    const yb = y * TAPS;
    const top = ys.index[yb + 1] * lw;
    const bottom = ys.index[yb + 2] * lw;
    const fy = ys.frac[y];
    const flatRow = ys.first[y] * (lw + 3);
    for (let j = 0; j < TAPS; j++) wy[j] = ys.weight[yb + j];
    for (let i = 0; i < lw; i++) line[i] = low[top + i] + (low[bottom + i] - low[top + i]) * fy;
    let window = -1;
    for (let x = 0; x < width; x++) {
      const xb = x * TAPS;
      const o0 = y * width + x;
      const first = xFirst[x];
      if (flat[flatRow + first]) {
        const a = line[xIndex[xb + 1]];
        out[o0] = a + (line[xIndex[xb + 2]] - a) * xFrac[x];
        continue;
      }
      if (first !== window) {
        window = first;
        for (let j = 0, t = 0; j < TAPS; j++) {
          const row = ys.index[yb + j] * lw;
          for (let i = 0; i < TAPS; i++, t++) {
            const k = row + xIndex[xb + i];
            sr[t] = lowRgb[3 * k];
            sg[t] = lowRgb[3 * k + 1];
            sb[t] = lowRgb[3 * k + 2];
            sv[t] = low[k];
          }
        }
      }
      const r = data[3 * o0];
      const g = data[3 * o0 + 1];
      const b = data[3 * o0 + 2];
      let sum = 0;
      let total = 0;
      for (let j = 0, t = 0; j < TAPS; j++) {
        const wj = wy[j];
        for (let i = 0; i < TAPS; i++, t++) {
          const dr = r - sr[t];
          const dg = g - sg[t];
          const db = b - sb[t];
          // An integer squared distance: the shift is the division by the table's step, exactly.
          const w = wj * xWeight[xb + i] * range[(dr * dr + dg * dg + db * db) >> STEP_SHIFT];
          sum += w * sv[t];
          total += w;
        }
      }
      out[o0] = sum / total;
    }
  }
  return out;
}

/**
 * Per window origin c (from -1 to ln+1 on each axis, stored at c + 1): whether the 4x4 window starting
 * there spans less than `span`. Separable: the minimum and maximum of 4 clamped columns per row, then of
 * 4 clamped rows of those.
 */
function flatWindows(low: Float32Array, lw: number, lh: number, span: number): Uint8Array {
  const W = lw + 3;
  const H = lh + 3;
  const rowMin = new Float32Array(W * lh);
  const rowMax = new Float32Array(W * lh);
  for (let y = 0; y < lh; y++) {
    for (let cx = -1; cx < lw + 2; cx++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < TAPS; i++) {
        const v = low[y * lw + Math.min(lw - 1, Math.max(0, cx + i))];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      rowMin[y * W + cx + 1] = lo;
      rowMax[y * W + cx + 1] = hi;
    }
  }
  const flat = new Uint8Array(W * H);
  for (let cy = -1; cy < lh + 2; cy++) {
    for (let c = 0; c < W; c++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < TAPS; j++) {
        const k = Math.min(lh - 1, Math.max(0, cy + j)) * W + c;
        if (rowMin[k] < lo) lo = rowMin[k];
        if (rowMax[k] > hi) hi = rowMax[k];
      }
      flat[(cy + 1) * W + c] = hi - lo < span ? 1 : 0;
    }
  }
  return flat;
}

/**
 * For each output index along one axis: the TAPS nearest low-resolution indices (clamped), their spatial
 * weights, the window origin (+1, for `flatWindows`) and the bilinear fraction between taps 1 and 2.
 */
function taps(ln: number, n: number, sigma: number): { index: Int32Array; weight: Float32Array; first: Int32Array; frac: Float32Array } {
  const index = new Int32Array(n * TAPS);
  const weight = new Float32Array(n * TAPS);
  const first = new Int32Array(n);
  const frac = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.min(ln - 1, Math.max(0, ((i + 0.5) * ln) / n - 0.5));
    const f0 = Math.floor(s) - 1;
    first[i] = f0 + 1;
    frac[i] = s - Math.floor(s);
    for (let t = 0; t < TAPS; t++) {
      const c = f0 + t;
      index[i * TAPS + t] = Math.min(ln - 1, Math.max(0, c));
      weight[i * TAPS + t] = Math.exp(-((c - s) ** 2) / (2 * sigma * sigma));
    }
  }
  return { index, weight, first, frac };
}
