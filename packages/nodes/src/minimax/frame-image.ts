import sharp from 'sharp';
import { UserError } from '@kinegraph/graph-core';
import type { ImageValue } from '../values/image.js';

/** MiniMax's limits on a frame image (API reference): short side, aspect ratio between 2:5 and 5:2, under 20 MB. */
export const MIN_SHORT_SIDE = 300;
const MIN_ASPECT = 2 / 5;
const MAX_ASPECT = 5 / 2;
const MAX_BYTES = 20 * 1024 * 1024;
/** Larger pictures are scaled down before sending: MiniMax renders at most 1080P, more pixels only cost upload time. */
const MAX_LONG_SIDE = 2048;

/** The IMAGE input (the engine has checked its type), or a UserError saying why MiniMax would refuse it. */
export function frameImage(value: ImageValue, field: string, label: string): ImageValue {
  const { width, height } = value;
  if (Math.min(width, height) < MIN_SHORT_SIDE) {
    throw new UserError(
      `The ${label} is ${width}x${height}; MiniMax needs its short side at least ${MIN_SHORT_SIDE} px (resize it up first)`,
      field,
    );
  }
  const aspect = width / height;
  if (aspect < MIN_ASPECT || aspect > MAX_ASPECT) {
    throw new UserError(
      `The ${label} is ${width}x${height} (aspect ${aspect.toFixed(2)}); MiniMax takes aspect ratios from 2:5 to 5:2 only (crop it first)`,
      field,
    );
  }
  return value;
}

/**
 * The picture as MiniMax takes it inline: a JPEG data URL (quality 92, 4:4:4, long side at most 2048 px).
 * Deterministic: the same IMAGE gives the same bytes, so the same request.
 */
export async function frameDataUrl(image: ImageValue, label: string): Promise<string> {
  const scale = Math.min(1, MAX_LONG_SIDE / Math.max(image.width, image.height));
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (scale < 1)
    pipeline = pipeline.resize(Math.round(image.width * scale), Math.round(image.height * scale), { fit: 'fill', kernel: 'lanczos3' });
  const jpeg = await pipeline.jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
  if (jpeg.length > MAX_BYTES)
    throw new UserError(`The ${label} is ${(jpeg.length / 1024 ** 2).toFixed(1)} MB as JPEG, over MiniMax's 20 MB limit`);
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
