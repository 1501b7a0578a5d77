import sharp from 'sharp';
import type { ResizeMode } from '../model/handles.js';
import type { ImageValue } from '../values/image.js';
import { resizePlan } from '../image/resize-plan.js';

/** Resizes an RGB image to exactly width x height: crop = cover, pad = contain on black, fit = stretch to the fitted size. */
export async function resizeRgb(image: ImageValue, width: number, height: number, mode: ResizeMode): Promise<Uint8Array> {
  const fit = mode === 'crop' ? 'cover' : mode === 'pad' ? 'contain' : 'fill';
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit, position: 'centre', background: { r: 0, g: 0, b: 0 }, kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The size an encode will produce: 'fit' follows the picture's aspect ratio; all sides are multiples of `multiple`. */
export function encodeSize(
  image: ImageValue,
  width: number,
  height: number,
  mode: ResizeMode,
  multiple: number,
): { width: number; height: number } {
  return resizePlan(image, { width, height }, mode, multiple);
}

/** Interleaved RGB bytes -> planar [3, H, W] floats, value = byte / 255 * scale + offset per channel. */
export function toPlanar(
  rgb: Uint8Array,
  width: number,
  height: number,
  scale: number[],
  offset: number[],
  out?: Float32Array,
): Float32Array {
  const plane = width * height;
  const o = out ?? new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) o[c * plane + p] = (rgb[p * 3 + c] / 255) * scale[c] + offset[c];
  }
  return o;
}

/**
 * Planar floats in [-1, 1] -> interleaved RGB bytes (rounded, clamped). Channel c of the frame starts at
 * `offset + c * channelStride` (channelStride = H*W for [3, H, W]; F*H*W for a [3, F, H, W] video).
 */
export function fromPlanar(planar: Float32Array, width: number, height: number, offset = 0, channelStride = width * height): Uint8Array {
  const plane = width * height;
  const out = new Uint8Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    const base = offset + c * channelStride;
    for (let p = 0; p < plane; p++) {
      const v = Math.round((planar[base + p] + 1) * 127.5);
      out[p * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}
