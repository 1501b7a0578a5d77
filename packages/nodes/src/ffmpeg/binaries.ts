import { createRequire } from 'node:module';
import { OperationalError } from '@kinegraph/graph-core';

const require = createRequire(import.meta.url);

/** The ffmpeg binary: FFMPEG_PATH when set, else the one @ffmpeg-installer ships for this platform. */
export function ffmpegPath(): string {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH;
  try {
    return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (err) {
    throw new OperationalError('No ffmpeg binary: install @ffmpeg-installer/ffmpeg or set FFMPEG_PATH', { cause: err });
  }
}

/** The ffprobe binary: FFPROBE_PATH when set, else the one @ffprobe-installer ships. */
export function ffprobePath(): string {
  if (process.env.FFPROBE_PATH) return process.env.FFPROBE_PATH;
  try {
    return (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  } catch (err) {
    throw new OperationalError('No ffprobe binary: install @ffprobe-installer/ffprobe or set FFPROBE_PATH', { cause: err });
  }
}
