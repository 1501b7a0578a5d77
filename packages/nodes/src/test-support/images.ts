import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Real photos (KDE wallpapers) when CI fetched them into .testdata/photos; [] otherwise. */
export function testPhotos(): string[] {
  const dir = path.join(repoRoot, '.testdata', 'photos');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.jpg'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** A deterministic RGB test picture: gradients plus a bright square, so resizes and crops are visible. */
export function gradientRgb(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inSquare = x > width * 0.4 && x < width * 0.6 && y > height * 0.4 && y < height * 0.6;
      data[i] = inSquare ? 255 : Math.round((x / Math.max(1, width - 1)) * 255);
      data[i + 1] = inSquare ? 255 : Math.round((y / Math.max(1, height - 1)) * 255);
      data[i + 2] = inSquare ? 255 : 96;
    }
  }
  return data;
}

export function gradientImage(width: number, height: number): Sharp {
  return sharp(gradientRgb(width, height), { raw: { width, height, channels: 3 } });
}
