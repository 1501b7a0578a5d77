import type { PreviewImage } from '@kinegraph/graph-core';
import sharp from 'sharp';

/** A small JPEG of an upscaled frame (at most 384 px wide) for the node's progress preview. */
export async function upscalePreview(rgb: Uint8Array, width: number, height: number): Promise<PreviewImage> {
  const w = Math.min(width, 384);
  const h = Math.max(1, Math.round((height * w) / width));
  const data = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(w, h, { kernel: 'lanczos3' })
    .jpeg({ quality: 70 })
    .toBuffer();
  return { mime: 'image/jpeg', data: new Uint8Array(data), width: w, height: h };
}
