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
 * A cut-out layer's Cb and Cr at half resolution (byte planes), each 2×2 block averaged weighted by `alpha`: a
 * subject's edge colour is its own, not the transparent pixels' beside it. Same layout as chromaBytes.
 */
export function cutoutChroma(
  rgb: Uint8Array,
  w: number,
  h: number,
  alpha: Uint8Array,
): { u: Uint8Array; v: Uint8Array; cw: number; ch: number } {
  const cw = w >> 1;
  const ch = h >> 1;
  const stride = cw + 1;
  const u = new Uint8Array(stride * (ch + 1)).fill(128);
  const v = new Uint8Array(stride * (ch + 1)).fill(128);
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let k = 0; k < 4; k++) {
        const p = (2 * cy + (k >> 1)) * w + 2 * cx + (k & 1);
        const a = alpha[p];
        r += rgb[p * 3] * a;
        g += rgb[p * 3 + 1] * a;
        b += rgb[p * 3 + 2] * a;
        n += a;
      }
      if (n === 0) continue;
      u[cy * stride + cx] = clampC(cbOf(r, g, b, n));
      v[cy * stride + cx] = clampC(crOf(r, g, b, n));
    }
    u[cy * stride + cw] = u[cy * stride + cw - 1];
    v[cy * stride + cw] = v[cy * stride + cw - 1];
  }
  u.copyWithin(ch * stride, (ch - 1) * stride, ch * stride);
  v.copyWithin(ch * stride, (ch - 1) * stride, ch * stride);
  return { u, v, cw, ch };
}

/**
 * Cb and Cr at half resolution as two byte planes (each 2×2 block averaged, integer arithmetic), with the
 * extra column and row repeating the edge, so a bilinear tap at the last sample stays inside.
 */
export function chromaBytes(rgb: Uint8Array, w: number, h: number): { u: Uint8Array; v: Uint8Array; cw: number; ch: number } {
  const cw = w >> 1;
  const ch = h >> 1;
  const stride = cw + 1;
  const u = new Uint8Array(stride * (ch + 1));
  const v = new Uint8Array(stride * (ch + 1));
  const row = w * 3;
  for (let cy = 0; cy < ch; cy++) {
    let p = 2 * cy * row;
    let o = cy * stride;
    for (let cx = 0; cx < cw; cx++, p += 6, o++) {
      const r = rgb[p] + rgb[p + 3] + rgb[p + row] + rgb[p + row + 3];
      const g = rgb[p + 1] + rgb[p + 4] + rgb[p + row + 1] + rgb[p + row + 4];
      const b = rgb[p + 2] + rgb[p + 5] + rgb[p + row + 2] + rgb[p + row + 5];
      // Sum of four pixels: / 4 and / 65536 in one rounded shift.
      u[o] = clampC(128 + ((U_R * r + U_G * g + U_B * b + 131072) >> 18));
      v[o] = clampC(128 + ((V_R * r + V_G * g + V_B * b + 131072) >> 18));
    }
    u[o] = u[o - 1];
    v[o] = v[o - 1];
  }
  u.copyWithin(ch * stride, (ch - 1) * stride, ch * stride);
  v.copyWithin(ch * stride, (ch - 1) * stride, ch * stride);
  return { u, v, cw, ch };
}

/** Half-resolution alpha (mean of each 2×2 block), with the same extra column and row as chromaBytes. */
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

/** A plane premultiplied by an alpha plane of the same layout: round(v·a/255). */
export function premultiply(plane: Uint8Array, alpha: Uint8Array): Uint8Array {
  const out = new Uint8Array(plane.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((plane[i] * alpha[i]) / 255);
  return out;
}

const clampC = (v: number) => (v < 16 ? 16 : v > 240 ? 240 : v);

/** I420 bytes (Y plane, then Cb, then Cr at half resolution) of an RGB frame with even sides. */
export function rgbToI420(rgb: Uint8Array, w: number, h: number, out = new Uint8Array((w * h * 3) / 2)): Uint8Array {
  out.set(lumaPlane(rgb, w, h));
  const { u, v, cw, ch } = chromaBytes(rgb, w, h);
  for (let cy = 0; cy < ch; cy++) {
    out.set(u.subarray(cy * (cw + 1), cy * (cw + 1) + cw), w * h + cy * cw);
    out.set(v.subarray(cy * (cw + 1), cy * (cw + 1) + cw), w * h + cw * ch + cy * cw);
  }
  return out;
}
