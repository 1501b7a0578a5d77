import { defineNode, FLOAT, INT, output, p } from '@kinegraph/graph-core';
import { VIDEO } from '../sockets.js';
import { decodeVideoFile } from '../ffmpeg/decode-video.js';
import { resolveFileParam } from '../host/resolve-input.js';
import { PathsToken } from '../services.js';

export const LoadVideo = defineNode({
  type: 'LoadVideo',
  category: 'video',
  title: 'Load Video',
  description:
    'Decodes the frames of a video file (MP4, WebM, MOV, GIF …) to upscale or re-encode it. Frames are decoded from the file as they are used, so a long clip never sits in memory (up to 100,000 frames).',
  version: 1,
  inputs: {},
  outputs: { video: output(VIDEO), frames: output(INT), fps: output(FLOAT) },
  params: {
    video: p.file({ accept: 'any', label: 'Video file' }),
    max_frames: p.int({ default: 0, min: 0, max: 100_000, label: 'Max frames', description: '0: every frame' }),
  },
  cache: 'file',
  fileRefs: (params) => [params.video],
  concurrencySafe: true,
  async execute(ctx, _inputs, params) {
    const file = resolveFileParam(ctx.services.get(PathsToken), params.video, 'video');
    const video = await decodeVideoFile(file, params.video, {
      maxFrames: params.max_frames,
      signal: ctx.signal,
      onFrame: (n, expected) => ctx.progress(n, Math.max(n, expected)),
      onWarning: (message) => ctx.warn(message, 'video'),
    });
    return { video, frames: video.frameCount, fps: video.fps };
  },
});
