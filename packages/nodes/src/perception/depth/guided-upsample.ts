import sharp from 'sharp';
import type { ImageValue } from '../../values/image.js';
import { axisTaps, boxMean, resizeBilinear } from './box-filter.js';

export interface GuidedUpsampleOptions {
  /** Longer side of the grid the filter's coefficients are computed on. */
  workSide: number;
  /** Window radius on that grid. */
  radius: number;
  /** Regularisation: larger is smoother, smaller follows the photo's edges more closely. */
  eps: number;
}

/** Luma in [0, 1] (Rec. 709 weights on the sRGB values) of raw RGB bytes. */
function luma(rgb: Uint8Array | Buffer, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (0.2126 * rgb[3 * i] + 0.7152 * rgb[3 * i + 1] + 0.0722 * rgb[3 * i + 2]) / 255;
  return out;
}

/**
 * Brings a low-resolution map to the photo's size so its edges follow the photo's: the fast guided filter
 * (He & Sun 2015). The guided filter's linear coefficients q = a·I + b (He, Sun & Tang 2010, grey guide I
 * = the photo's luma) are fitted on a grid of at most `workSide` pixels, bilinearly upsampled, and applied
 * to the full-resolution luma, so the cost at full size is one multiply-add per pixel.
 */
export async function guidedUpsample(
  low: Float32Array,
  lw: number,
  lh: number,
  image: ImageValue,
  o: GuidedUpsampleOptions,
): Promise<Float32Array> {
  const { width, height } = image;
  const s = Math.min(1, o.workSide / Math.max(width, height));
  const ww = Math.max(1, Math.round(width * s));
  const wh = Math.max(1, Math.round(height * s));
  const small = await sharp(image.data, { raw: { width, height, channels: 3 } }).resize(ww, wh, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer();
  const I = luma(small, ww * wh);
  const P = resizeBilinear(low, lw, lh, ww, wh);
  const n = ww * wh;
  const Ip = new Float32Array(n);
  const II = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    Ip[i] = I[i] * P[i];
    II[i] = I[i] * I[i];
  }
  const r = o.radius;
  const mI = boxMean(I, ww, wh, r);
  const mP = boxMean(P, ww, wh, r);
  const mIp = boxMean(Ip, ww, wh, r);
  const mII = boxMean(II, ww, wh, r);
  const A = new Float32Array(n);
  const B = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const varI = mII[i] - mI[i] * mI[i];
    const cov = mIp[i] - mI[i] * mP[i];
    A[i] = cov / (Math.max(0, varI) + o.eps);
    B[i] = mP[i] - A[i] * mI[i];
  }
  const mA = boxMean(A, ww, wh, r);
  const mB = boxMean(B, ww, wh, r);
  return applyCoefficients(mA, mB, ww, wh, image);
}

/** q = a·I + b at full size, a and b bilinear from the work grid, clamped to [0, 1]. */
function applyCoefficients(a: Float32Array, b: Float32Array, ww: number, wh: number, image: ImageValue): Float32Array {
  const { width, height, data } = image;
  const out = new Float32Array(width * height);
  const xs = axisTaps(ww, width);
  const ys = axisTaps(wh, height);
  // One work-grid row of a and b interpolated vertically, then each full-size row horizontally.
  const colA = new Float32Array(ww);
  const colB = new Float32Array(ww);
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y] * ww;
    const r1 = ys.i1[y] * ww;
    const fy = ys.f[y];
    for (let x = 0; x < ww; x++) {
      colA[x] = a[r0 + x] + (a[r1 + x] - a[r0 + x]) * fy;
      colB[x] = b[r0 + x] + (b[r1 + x] - b[r0 + x]) * fy;
    }
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const x0 = xs.i0[x];
      const x1 = xs.i1[x];
      const fx = xs.f[x];
      const ai = colA[x0] + (colA[x1] - colA[x0]) * fx;
      const bi = colB[x0] + (colB[x1] - colB[x0]) * fx;
      const p = 3 * (row + x);
      const I = (0.2126 * data[p] + 0.7152 * data[p + 1] + 0.0722 * data[p + 2]) / 255;
      const q = ai * I + bi;
      out[row + x] = q < 0 ? 0 : q > 1 ? 1 : q;
    }
  }
  return out;
}
