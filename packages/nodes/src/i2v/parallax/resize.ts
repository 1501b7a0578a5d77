import sharp from 'sharp';
import type { ImageValue } from '../../values/image.js';
import type { ResizeMode } from '../../model/handles.js';

/**
 * Fits the photo into width×height: 'crop' fills and cuts the overflow (centred), 'fit' stretches
 * nothing and letterboxes with the photo's blurred edges, 'pad' letterboxes with black.
 */
export async function resizeImage(image: ImageValue, width: number, height: number, mode: ResizeMode): Promise<Uint8Array> {
  const input = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (mode === 'crop') {
    const buf = await input.resize(width, height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' }).raw().toBuffer();
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const inner = await input.resize(width, height, { fit: 'inside', kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  const left = Math.floor((width - inner.info.width) / 2);
  const top = Math.floor((height - inner.info.height) / 2);
  const base =
    mode === 'pad'
      ? sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } } })
      : sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
          .resize(width, height, { fit: 'fill' })
          .blur(Math.max(width, height) / 40);
  const out = await base
    .composite([{ input: inner.data, raw: { width: inner.info.width, height: inner.info.height, channels: 3 }, left, top }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
