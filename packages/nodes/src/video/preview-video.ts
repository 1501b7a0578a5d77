import { defineNode, input, p } from '@kinegraph/graph-core';
import { AUDIO, VIDEO } from '../sockets.js';
import { encodeVideo } from '../ffmpeg/encode-video.js';
import { writeNewOutputFile, writesOutputFile } from '../host/output-files.js';
import { PathsToken } from '../services.js';

/** A preview's size: the longer side at most `maxSide`, both sides even (yuv420p). */
export function previewSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const even = (v: number) => Math.max(2, Math.round((v * scale) / 2) * 2);
  return { width: even(width), height: even(height) };
}

export const PreviewVideo = defineNode({
  type: 'PreviewVideo',
  category: 'video',
  title: 'Preview Video',
  description: 'Shows the video in the editor: a small, quickly encoded MP4 in the temp folder (nothing lands in the output folder).',
  version: 1,
  inputs: { video: input(VIDEO), audio: input(AUDIO, { optional: true }) },
  outputs: {},
  params: {
    max_size: p.int({ default: 640, min: 64, max: 4096, step: 16, label: 'Longest side', advanced: true }),
  },
  ...writesOutputFile,
  async execute(ctx, inputs, params) {
    const video = inputs.video;
    const audio = inputs.audio;
    const { tempDir } = ctx.services.get(PathsToken);
    const size = previewSize(video.width, video.height, params.max_size);
    const filename = await writeNewOutputFile(tempDir, 'preview', 'mp4', (partial) =>
      encodeVideo({
        video,
        audio,
        format: 'mp4',
        quality: 55,
        preset: 'veryfast',
        scaleTo: size.width === video.width && size.height === video.height ? undefined : size,
        outFile: partial,
        tempDir,
        signal: ctx.signal,
        onFrame: (i, n) => ctx.progress(i, n),
      }),
    );
    ctx.progress(video.frameCount, video.frameCount);
    ctx.ui({ kind: 'video', filename, folder: 'temp', mime: 'video/mp4', data: { ...size, fps: video.fps, frames: video.frameCount } });
    return {};
  },
});
