import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ImageValue } from '../../../packages/nodes/src/values/image.js';

export const PHOTOS_DIR = path.resolve(import.meta.dirname, '../../../.testdata/photos');

/** A real test photo when the folder is there (CI fetches it), else undefined. */
export function photoPath(name: string): string | undefined {
  if (process.env.I2V_GENERATED_PHOTOS) return undefined; // exercise the fallback
  const p = path.join(PHOTOS_DIR, `${name}.jpg`);
  return existsSync(p) ? p : undefined;
}

export async function loadImage(file: string, maxWidth = 1280): Promise<ImageValue> {
  const { data, info } = await sharp(file)
    .resize({ width: maxWidth, withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * A generated stand-in photo: blue sky on top, a textured ground below, and a sharp red-and-white disc in
 * front of a blurred middle band (a subject against a defocused background).
 */
export async function generatedPhoto(w = 960, h = 540): Promise<ImageValue> {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      if (y < h * 0.35) {
        raw[i] = 110 + (y / h) * 80;
        raw[i + 1] = 160 + (y / h) * 60;
        raw[i + 2] = 235;
      } else {
        const n = Math.sin(x * 0.9) * Math.cos(y * 1.1) * 40 + Math.sin(x * 0.13 + y * 0.07) * 30;
        raw[i] = 90 + n;
        raw[i + 1] = 110 + n;
        raw[i + 2] = 60 + n * 0.5;
      }
    }
  }
  // Defocus everything but the disc: blur the whole picture, then paint a sharp textured disc.
  const blurred = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .blur(6)
    .raw()
    .toBuffer();
  const cx = w * 0.5;
  const cy = h * 0.62;
  const r = h * 0.2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (Math.hypot(x - cx, y - cy) < r && y > h * 0.35) {
        const i = (y * w + x) * 3;
        const stripe = (Math.floor(x / 3) + Math.floor(y / 3)) % 2;
        blurred[i] = stripe ? 230 : 120;
        blurred[i + 1] = stripe ? 40 : 230;
        blurred[i + 2] = stripe ? 40 : 220;
      }
    }
  }
  return new ImageValue(w, h, new Uint8Array(blurred.buffer, blurred.byteOffset, blurred.byteLength));
}
