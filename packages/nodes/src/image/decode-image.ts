import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import { UserError } from '@kinegraph/graph-core';
import { ImageValue } from '../values/image.js';
import { sniffImageFormat, type ImageFormat } from './image-magic.js';
import { readFileHead } from '../host/read-file-head.js';

/** Largest picture LoadImage accepts (64 megapixels): bigger ones would take gigabytes as frames. */
export const MAX_INPUT_PIXELS = 64_000_000;

/**
 * Reads an image file into an 8-bit RGB ImageValue: EXIF orientation applied, alpha flattened onto
 * white, colour converted to sRGB. Every way the file can be wrong is a UserError that says which.
 */
export async function decodeImageFile(file: string, name: string, maxPixels = MAX_INPUT_PIXELS): Promise<ImageValue> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UserError(`Image "${name}" not found`, 'image');
  if (!info.isFile()) throw new UserError(`"${name}" is not a file`, 'image');
  if (info.size === 0) throw new UserError(`Image "${name}" is empty (0 bytes)`, 'image');

  const head = await readFileHead(file);
  const format = sniffImageFormat(head);
  if (!format) throw new UserError(`"${name}" is not an image (expected JPEG, PNG, WebP, AVIF, TIFF or GIF)`, 'image');

  let width: number;
  let height: number;
  try {
    const meta = await sharp(file, { limitInputPixels: false }).metadata();
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
  } catch (err) {
    throw brokenImage(name, format, err);
  }
  if (!width || !height) throw new UserError(`Image "${name}" has no size (corrupt ${format.toUpperCase()} header)`, 'image');
  if (width * height > maxPixels) {
    const mp = (n: number) => (n / 1e6).toFixed(1);
    throw new UserError(`Image "${name}" is ${width}x${height} (${mp(width * height)} MP), over the ${mp(maxPixels)} MP limit`, 'image');
  }

  try {
    const { data, info: out } = await sharp(file, { limitInputPixels: maxPixels, failOn: 'truncated', pages: 1 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (out.channels !== 3) throw new Error(`decoded ${out.channels} channels`);
    return new ImageValue(out.width, out.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } catch (err) {
    throw brokenImage(name, format, err);
  }
}

/** "truncated" when the decoder ran out of data, "corrupt" otherwise, with the decoder's own words. */
function brokenImage(name: string, format: ImageFormat, err: unknown): UserError {
  const why = message(err);
  if (format === 'heif' && /unsupported|codec|compression/i.test(why)) {
    return new UserError(`Image "${name}" is HEIC, which this build can not decode: convert it to JPEG or PNG`, 'image', { cause: err });
  }
  const truncated = /truncat|premature|end of (file|stream)|unexpected end|short read/i.test(why);
  return new UserError(`Image "${name}" is ${truncated ? 'truncated' : 'corrupt'}: ${why}`, 'image', { cause: err });
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
}
