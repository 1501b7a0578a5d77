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
const STEP = 16; // the colour weight table's step in squared distance (which reaches 3·255² = 195075)

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
  const range = new Float32Array(Math.ceil((3 * 255 * 255) / STEP) + 1);
  for (let i = 0; i < range.length; i++) range[i] = Math.exp((-i * STEP) / (2 * o.sigmaColour * o.sigmaColour)) + 1e-5;
  for (let y = 0; y < height; y++) {
    const yb = y * TAPS;
    const top = ys.index[yb + 1] * lw;
    const bottom = ys.index[yb + 2] * lw;
    const fy = ys.frac[y];
    for (let x = 0; x < width; x++) {
      const xb = x * TAPS;
      const o0 = y * width + x;
      const left = xs.index[xb + 1];
      if (flat[ys.first[y] * (lw + 3) + xs.first[x]]) {
        const right = xs.index[xb + 2];
        const fx = xs.frac[x];
        const a = low[top + left] + (low[top + right] - low[top + left]) * fx;
        const b = low[bottom + left] + (low[bottom + right] - low[bottom + left]) * fx;
        out[o0] = a + (b - a) * fy;
        continue;
      }
      const r = data[3 * o0];
      const g = data[3 * o0 + 1];
      const b = data[3 * o0 + 2];
      let sum = 0;
      let total = 0;
      for (let j = 0; j < TAPS; j++) {
        const row = ys.index[yb + j] * lw;
        const wy = ys.weight[yb + j];
        for (let i = 0; i < TAPS; i++) {
          const k = row + xs.index[xb + i];
          const dr = r - lowRgb[3 * k];
          const dg = g - lowRgb[3 * k + 1];
          const db = b - lowRgb[3 * k + 2];
          const w = wy * xs.weight[xb + i] * range[((dr * dr + dg * dg + db * db) / STEP) | 0];
          sum += w * low[k];
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
 * there spans less than `span`.
 */
function flatWindows(low: Float32Array, lw: number, lh: number, span: number): Uint8Array {
  const W = lw + 3;
  const flat = new Uint8Array(W * (lh + 3));
  const at = (x: number, y: number) => low[Math.min(lh - 1, Math.max(0, y)) * lw + Math.min(lw - 1, Math.max(0, x))];
  for (let cy = -1; cy < lh + 2; cy++) {
    for (let cx = -1; cx < lw + 2; cx++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < TAPS; j++) {
        for (let i = 0; i < TAPS; i++) {
          const v = at(cx + i, cy + j);
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      flat[(cy + 1) * W + cx + 1] = hi - lo < span ? 1 : 0;
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
