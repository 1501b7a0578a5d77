import { boxMeanInterleaved, boxMeanStream } from '../filter/box-mean.js';

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
export function guidedCoefficients(
  guide: Uint8Array,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): GuidedCoefficients {
  return averageCoefficients(windowCoefficients(guide, p, width, height, r, eps), width, height, r);
}

/**
 * The first half of `guidedCoefficients`: each window's least-squares (a, b), interleaved [aR, aG, aB, b].
 * The halves are separate so that an async caller can let the event loop turn between them.
 */
export function windowCoefficients(
  guide: Uint8Array,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): Float32Array<ArrayBuffer> {
  // All 13 window means in one streamed box pass (R G B p, RR RG RB GG GB BB, Rp Gp Bp), each input row
  // computed when the filter asks for it and each mean row turned into (a, b) at once: no image-sized
  // planes of moments are ever held.
  const K = 13;
  const moments = new Float32Array(width * K);
  const ab = new Float32Array(width * height * 4);
  const momentRow = (y: number) => {
    for (let x = 0, i = y * width, o = 0; x < width; x++, i++, o += K) {
      const R = guide[i * 3] / 255,
        G = guide[i * 3 + 1] / 255,
        B = guide[i * 3 + 2] / 255,
        q = p[i];
      moments[o] = R;
      moments[o + 1] = G;
      moments[o + 2] = B;
      moments[o + 3] = q;
      moments[o + 4] = R * R;
      moments[o + 5] = R * G;
      moments[o + 6] = R * B;
      moments[o + 7] = G * G;
      moments[o + 8] = G * B;
      moments[o + 9] = B * B;
      moments[o + 10] = R * q;
      moments[o + 11] = G * q;
      moments[o + 12] = B * q;
    }
    return moments;
  };
  const fitRow = (y: number, m: Float32Array) => {
    for (let x = 0, o = 0, d = y * width * 4; x < width; x++, o += K, d += 4) {
      const mR = m[o],
        mG = m[o + 1],
        mB = m[o + 2],
        mp = m[o + 3];
      // Covariance of the guide in the window (+ eps·I) and its covariance with p.
      const s00 = m[o + 4] - mR * mR + eps,
        s01 = m[o + 5] - mR * mG,
        s02 = m[o + 6] - mR * mB;
      const s11 = m[o + 7] - mG * mG + eps,
        s12 = m[o + 8] - mG * mB,
        s22 = m[o + 9] - mB * mB + eps;
      const c0 = m[o + 10] - mR * mp,
        c1 = m[o + 11] - mG * mp,
        c2 = m[o + 12] - mB * mp;
      // Inverse of the symmetric 3x3 by cofactors (positive definite thanks to eps).
      const i00 = s11 * s22 - s12 * s12,
        i01 = s02 * s12 - s01 * s22,
        i02 = s01 * s12 - s02 * s11;
      const i11 = s00 * s22 - s02 * s02,
        i12 = s01 * s02 - s00 * s12,
        i22 = s00 * s11 - s01 * s01;
      const det = s00 * i00 + s01 * i01 + s02 * i02;
      const a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det;
      const a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det;
      const a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det;
      ab[d] = a0;
      ab[d + 1] = a1;
      ab[d + 2] = a2;
      ab[d + 3] = mp - a0 * mR - a1 * mG - a2 * mB;
    }
  };
  boxMeanStream(width, height, K, r, momentRow, fitRow);
  return ab;
}

/** The second half: (a, b) averaged over the window again (each pixel lies in many windows), [āR, āG, āB, b̄], in place. */
export function averageCoefficients(ab: Float32Array<ArrayBuffer>, width: number, height: number, r: number): GuidedCoefficients {
  return { width, height, data: boxMeanInterleaved(ab, width, height, 4, r, ab) };
}

/**
 * q = ā·I + b̄ at the photo's own resolution, the coefficients sampled bilinearly (half-pixel centres),
 * clamped to [0, 1]. Separable and streamed: per output row the two coefficient rows are blended once
 * (vertical step), then each pixel blends two neighbours of that line (horizontal step); no
 * full-resolution coefficient planes are held.
 */
export function applyCoefficients(coef: GuidedCoefficients, image: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const cw = coef.width,
    ch = coef.height,
    d = coef.data;
  const sx = cw / width,
    sy = ch / height;
  const x0s = new Int32Array(width),
    x1s = new Int32Array(width),
    fxs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const s = Math.min(cw - 1, Math.max(0, (x + 0.5) * sx - 0.5));
    const f = Math.floor(s);
    x0s[x] = f * 4;
    x1s[x] = Math.min(cw - 1, f + 1) * 4;
    fxs[x] = s - f;
  }
  // The coefficients are in [0, 1]-intensity units: fold the 1/255 of the 8-bit photo into the line.
  const line = new Float32Array(cw * 4);
  const k255 = 1 / 255;
  for (let y = 0; y < height; y++) {
    const s = Math.min(ch - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const f = Math.floor(s);
    const r0 = f * cw * 4,
      r1 = Math.min(ch - 1, f + 1) * cw * 4,
      fy = s - f;
    for (let j = 0; j < cw * 4; j++) {
      const v = d[r0 + j] + (d[r1 + j] - d[r0 + j]) * fy;
      line[j] = (j & 3) === 3 ? v : v * k255;
    }
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const a = x0s[x],
        b = x1s[x],
        fx = fxs[x];
      const i = (row + x) * 3;
      const aR = line[a] + (line[b] - line[a]) * fx;
      const aG = line[a + 1] + (line[b + 1] - line[a + 1]) * fx;
      const aB = line[a + 2] + (line[b + 2] - line[a + 2]) * fx;
      const bb = line[a + 3] + (line[b + 3] - line[a + 3]) * fx;
      const q = aR * image[i] + aG * image[i + 1] + aB * image[i + 2] + bb;
      out[row + x] = q > 0 ? (q < 1 ? q : 1) : 0;
    }
  }
  return out;
}
