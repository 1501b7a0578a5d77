import sharp from 'sharp';
import { defineNode, input, output, p, UserError } from '@kinegraph/graph-core';
import { VIDEO } from '../sockets.js';
import { VideoValue, type VideoSource } from '../values/video.js';

const FACTORS = ['1.5', '2', '4'] as const;
/** Largest upscaled frame: 8K UHD. */
const MAX_PIXELS = 7680 * 4320;

/** Upscaled size: both sides even so the result encodes as yuv420p. */
export function upscaledSize(width: number, height: number, factor: number): { width: number; height: number } {
  const even = (v: number) => Math.max(2, Math.round(v / 2) * 2);
  return { width: even(width * factor), height: even(height * factor) };
}

/** A lazy source: each frame is scaled when the encoder asks for it, so no upscaled clip sits in memory. */
function upscaledSource(src: VideoValue, width: number, height: number): VideoSource {
  return {
    width,
    height,
    fps: src.fps,
    frameCount: src.frameCount,
    async frameAt(i) {
      const frame = await src.frameAt(i);
      const out = await sharp(frame, { raw: { width: src.width, height: src.height, channels: 3 } })
        .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
        .raw()
        .toBuffer();
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
    byteSize: () => src.byteSize(),
  };
}

export const UpscaleVideo = defineNode({
  type: 'UpscaleVideo',
  category: 'upscale',
  title: 'Upscale Video',
  description:
    'Enlarges every frame with Lanczos filtering (sharp). Frames are scaled as they are encoded, so memory does not grow with the factor.',
  version: 1,
  inputs: { video: input(VIDEO) },
  outputs: { video: output(VIDEO) },
  params: { factor: p.choice(FACTORS, { default: '2', label: 'Factor' }) },
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs, params) {
    const video = inputs.video;
    const size = upscaledSize(video.width, video.height, Number(params.factor));
    if (size.width * size.height > MAX_PIXELS) {
      throw new UserError(
        `${video.width}x${video.height} upscaled ${params.factor}x is ${size.width}x${size.height}, larger than 8K (7680x4320)`,
        'factor',
      );
    }
    return { video: new VideoValue(upscaledSource(video, size.width, size.height)) };
  },
});
