import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { ImageValue } from '../values/image.js';

/** Test photos fetched by ../shared/testdata/fetch-photos.sh into .testdata/photos (CI does; tests skip without). */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../.testdata/photos');

export const LANDSCAPES = ['BytheWater', 'ColdRipple', 'DarkestHour', 'EveningGlow', 'FallenLeaf', 'Kite', 'Path', 'summer_1am'].map(
  (n) => `${n}.jpg`,
);
/** People photos with frontal faces (the fetch script's header says what each shows). */
export const PORTRAITS = { grace: 'people/grace_hopper.jpg', messi: 'people/messi5.jpg', basketball: 'people/basketball1.png' };

export function photoPath(name: string): string {
  return path.join(dir, name);
}

export function hasPhotos(...names: string[]): boolean {
  return names.every((n) => existsSync(photoPath(n)));
}

/** Decodes a photo as an RGB IMAGE, optionally scaled so its longer side is `maxSide`. */
export async function loadPhoto(name: string, maxSide?: number): Promise<ImageValue> {
  let img = sharp(photoPath(name)).removeAlpha().toColourspace('srgb');
  if (maxSide) img = img.resize(maxSide, maxSide, { fit: 'inside', kernel: 'lanczos3' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}
