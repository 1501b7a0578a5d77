import type { PreviewImage } from '@kinegraph/graph-core';
import sharp from 'sharp';
import type { Manifest } from './manifest.js';
import { planeOffset, type VideoLatentShape } from './latent-layout.js';

/**
 * A cheap look at a latent: each latent pixel projected to RGB with the manifest's latent-to-RGB factors
 * (a linear fit of the decoder), up to 4 frames side by side, as a small JPEG.
 */
export async function latentPreview(m: Manifest, shape: VideoLatentShape, latent: Float32Array, maxFrames = 4): Promise<PreviewImage> {
  const { channels, height, width, frames } = shape;
  const factors =
    m.preview.latentRgbFactors ?? Array.from({ length: channels }, (_, c) => [c === 0 ? 1 : 0, c === 1 ? 1 : 0, c === 2 ? 1 : 0]);
  const bias = m.preview.latentRgbBias;
  const shown = Math.min(maxFrames, frames);
  const picks = Array.from({ length: shown }, (_, i) => (shown === 1 ? 0 : Math.round((i * (frames - 1)) / (shown - 1))));
  const stripWidth = width * shown;
  const rgb = new Uint8Array(stripWidth * height * 3);
  picks.forEach((f, slot) => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        for (let k = 0; k < 3; k++) {
          let v = bias[k];
          for (let c = 0; c < channels; c++) v += latent[planeOffset(shape, f, c) + p] * factors[c][k];
          const byte = Math.round((v + 1) * 127.5);
          rgb[(y * stripWidth + slot * width + x) * 3 + k] = byte < 0 ? 0 : byte > 255 ? 255 : byte;
        }
      }
    }
  });
  const scale = Math.max(1, Math.floor(96 / height));
  const data = await sharp(rgb, { raw: { width: stripWidth, height, channels: 3 } })
    .resize(stripWidth * scale, height * scale, { kernel: 'nearest' })
    .jpeg({ quality: 70 })
    .toBuffer();
  return { mime: 'image/jpeg', data: new Uint8Array(data), width: stripWidth * scale, height: height * scale };
}
