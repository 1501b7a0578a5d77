import type { CameraPose } from '../values/camera.js';
import { warpMap, warpPlanes } from './camera.js';
import { readFrame, writeFrame, type VideoLatentShape } from './latent-layout.js';

/** x[frame 0] = alpha * image + sigma * noise[frame 0] (the mask covers latent frame 0 only); buffers made once. */
export function firstFrameReplacer(shape: VideoLatentShape, image: Float32Array, noise: Float32Array) {
  const noise0 = new Float32Array(image.length);
  readFrame(shape, noise, 0, noise0);
  const frame = new Float32Array(image.length);
  return (x: Float32Array, alpha: number, sigma: number) => {
    for (let k = 0; k < frame.length; k++) frame[k] = alpha * image[k] + sigma * noise0[k];
    writeFrame(shape, x, 0, frame);
  };
}

/**
 * For models without camera input: frame f of `base` is the image latent seen from the camera at frame f
 * (bilinear), and frame f of `noise` is frame 0's noise carried along the same warp (nearest, so it stays
 * Gaussian), fresh noise where the view reveals what frame 0 did not see.
 */
export function warpAlongPath(
  shape: VideoLatentShape,
  poses: CameraPose[],
  image: Float32Array,
  noise: Float32Array,
  base: Float32Array,
): void {
  const { channels: C, width: w, height: h } = shape;
  const noise0 = new Float32Array(C * w * h);
  const fresh = new Float32Array(C * w * h);
  const out = new Float32Array(C * w * h);
  readFrame(shape, noise, 0, noise0);
  for (let f = 0; f < shape.frames; f++) {
    const map = warpMap(poses[0], poses[f], w, h);
    warpPlanes(image, C, w, h, map, 'bilinear', out);
    writeFrame(shape, base, f, out);
    if (f > 0) {
      readFrame(shape, noise, f, fresh);
      warpPlanes(noise0, C, w, h, map, 'nearest', out, fresh);
      writeFrame(shape, noise, f, out);
    }
  }
}
