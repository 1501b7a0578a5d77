/**
 * BT.709 limited-range YCbCr, the colour space every MP4/WebM this project writes is tagged with.
 * Integer coefficients in 1/65536 (rounded), so the conversion is exact and the same on every machine.
 */
const KR = 0.2126;
const KB = 0.0722;
const KG = 1 - KR - KB;
const fx = (v: number) => Math.round(v * 65536);
const Y_R = fx((219 / 255) * KR);
const Y_G = fx((219 / 255) * KG);
const Y_B = fx((219 / 255) * KB);
const U_R = fx((-224 / 255) * (KR / (2 - 2 * KB)));
const U_G = fx((-224 / 255) * (KG / (2 - 2 * KB)));
const U_B = fx((224 / 255) * 0.5);
const V_R = fx((224 / 255) * 0.5);
const V_G = fx((-224 / 255) * (KG / (2 - 2 * KR)));
const V_B = fx((-224 / 255) * (KB / (2 - 2 * KR)));
const HALF = 32768;

export const lumaOf = (r: number, g: number, b: number): number => 16 + ((Y_R * r + Y_G * g + Y_B * b + HALF) >> 16);
/** Cb and Cr of a colour given as sums of `n` pixels' channels (n = 1 or 4), rounded. */
export const cbOf = (r: number, g: number, b: number, n = 1): number => 128 + Math.round((U_R * r + U_G * g + U_B * b) / (65536 * n));
export const crOf = (r: number, g: number, b: number, n = 1): number => 128 + Math.round((V_R * r + V_G * g + V_B * b) / (65536 * n));

/** Luma plane (w×h bytes) of RGB bytes. */
export function lumaPlane(rgb: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) out[i] = lumaOf(rgb[j], rgb[j + 1], rgb[j + 2]);
  return out;
}

/**
 * Chroma at half resolution, Cb | Cr << 16 per word (for two-lane bilinear sampling), each 2×2 block averaged
 * (weighted by `alpha` when given: a subject's edge colour is its own, not the transparent pixels' beside it).
 * One extra column and row repeat the edge, so a bilinear tap at the last sample stays inside.
 */
export function chromaPlane(rgb: Uint8Array, w: number, h: number, alpha?: Uint8Array): { data: Int32Array; cw: number; ch: number } {
  const cw = w >> 1;
  const ch = h >> 1;
  const stride = cw + 1;
  const data = new Int32Array(stride * (ch + 1));
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let k = 0; k < 4; k++) {
        const p = (2 * cy + (k >> 1)) * w + 2 * cx + (k & 1);
        const a = alpha ? alpha[p] : 1;
        r += rgb[p * 3] * a;
        g += rgb[p * 3 + 1] * a;
        b += rgb[p * 3 + 2] * a;
        n += a;
      }
      data[cy * stride + cx] = n === 0 ? 128 | (128 << 16) : clampC(cbOf(r, g, b, n)) | (clampC(crOf(r, g, b, n)) << 16);
    }
    data[cy * stride + cw] = data[cy * stride + cw - 1];
  }
  data.copyWithin(ch * stride, (ch - 1) * stride, ch * stride);
  return { data, cw, ch };
}

/** The Cb and Cr of chromaPlane's words as two byte planes (same layout: one extra column and row). */
export function splitChroma(words: Int32Array): { u: Uint8Array; v: Uint8Array } {
  const u = new Uint8Array(words.length);
  const v = new Uint8Array(words.length);
  for (let i = 0; i < words.length; i++) {
    u[i] = words[i] & 0xff;
    v[i] = words[i] >> 16;
  }
  return { u, v };
}

/** Half-resolution alpha (mean of each 2×2 block), with the same extra column and row as chromaPlane. */
export function halfAlpha(alpha: Uint8Array, w: number, h: number): Uint8Array {
  const cw = w >> 1;
  const ch = h >> 1;
  const stride = cw + 1;
  const out = new Uint8Array(stride * (ch + 1));
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      const p = 2 * cy * w + 2 * cx;
      out[cy * stride + cx] = (alpha[p] + alpha[p + 1] + alpha[p + w] + alpha[p + w + 1] + 2) >> 2;
    }
    out[cy * stride + cw] = out[cy * stride + cw - 1];
  }
  out.copyWithin(ch * stride, (ch - 1) * stride, ch * stride);
  return out;
}

const clampC = (v: number) => (v < 16 ? 16 : v > 240 ? 240 : v);

/** I420 bytes (Y plane, then Cb, then Cr at half resolution) of an RGB frame with even sides. */
export function rgbToI420(rgb: Uint8Array, w: number, h: number, out = new Uint8Array((w * h * 3) / 2)): Uint8Array {
  out.set(lumaPlane(rgb, w, h));
  const { data, cw, ch } = chromaPlane(rgb, w, h);
  const u = w * h;
  const v = u + cw * ch;
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      const c = data[cy * (cw + 1) + cx];
      out[u + cy * cw + cx] = c & 0xff;
      out[v + cy * cw + cx] = c >> 16;
    }
  }
  return out;
}
