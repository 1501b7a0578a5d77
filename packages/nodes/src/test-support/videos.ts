import { VideoValue, videoFromFrames } from '../values/video.js';

/** A clip with a white square moving right over a colour gradient: motion and colour an encoder must keep. */
export function movingSquareVideo(width: number, height: number, frames: number, fps = 24): VideoValue {
  const list: Uint8Array[] = [];
  const side = Math.max(2, Math.floor(Math.min(width, height) / 4));
  for (let f = 0; f < frames; f++) {
    const data = new Uint8Array(width * height * 3);
    const x0 = Math.floor(((width - side) * f) / Math.max(1, frames - 1));
    const y0 = Math.floor((height - side) / 2);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        const inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        data[i] = inside ? 255 : Math.round((x / width) * 200);
        data[i + 1] = inside ? 255 : Math.round((y / height) * 200);
        data[i + 2] = inside ? 255 : 60;
      }
    }
    list.push(data);
  }
  return videoFromFrames(width, height, fps, list);
}
