import type { PreviewImage } from '@kinegraph/graph-core';
import sharp from 'sharp';

/** A small JPEG of an RGB frame for progress previews. */
export async function jpegPreview(rgb: Uint8Array, width: number, height: number): Promise<PreviewImage> {
  const data = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 70 })
    .toBuffer();
  return { mime: 'image/jpeg', data: new Uint8Array(data), width, height };
}

/** Preview size: at most 320 px wide, keeping the aspect, even dimensions. */
export function previewSize(w: number, h: number): { width: number; height: number } {
  const k = Math.min(1, 320 / w);
  return { width: Math.max(2, Math.round((w * k) / 2) * 2), height: Math.max(2, Math.round((h * k) / 2) * 2) };
}
