import sharp from 'sharp';
import type { ImageValue } from '../../values/image.js';
import type { InputToPicture } from './decode.js';

export interface Letterboxed {
  /** NHWC, size x size x 3, values in [-1, 1]; the bars are black (-1), as in MediaPipe. */
  tensor: Float32Array;
  toPicture: InputToPicture;
}

/** Scales the picture to fit a size x size square (aspect kept, centred), as MediaPipe's letterbox does. */
export async function letterbox(image: ImageValue, size: number): Promise<Letterboxed> {
  const scale = size / Math.max(image.width, image.height);
  const cw = Math.min(size, Math.max(1, Math.round(image.width * scale)));
  const ch = Math.min(size, Math.max(1, Math.round(image.height * scale)));
  const px = Math.floor((size - cw) / 2);
  const py = Math.floor((size - ch) / 2);
  const pixels = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(cw, ch, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const tensor = new Float32Array(size * size * 3).fill(-1);
  for (let y = 0; y < ch; y++) {
    const src = y * cw * 3;
    const dst = ((py + y) * size + px) * 3;
    for (let i = 0; i < cw * 3; i++) tensor[dst + i] = pixels[src + i] / 127.5 - 1;
  }
  return { tensor, toPicture: (x, y) => [(x * size - px) / cw, (y * size - py) / ch] };
}
