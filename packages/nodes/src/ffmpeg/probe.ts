import { execFile } from 'node:child_process';
import { OperationalError, UserError } from '@kinegraph/graph-core';
import { ffprobePath } from './binaries.js';
import { mediaInputArgs, sniffMedia, type MediaType } from './media-type.js';

export interface ProbeResult {
  format: { format_name?: string; duration?: string; tags?: Record<string, string> };
  streams: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
    color_space?: string;
    color_primaries?: string;
    color_transfer?: string;
    color_range?: string;
    sample_rate?: string;
    channels?: number;
    nb_frames?: string;
    r_frame_rate?: string;
    tags?: Record<string, string>;
  }>;
}

/**
 * ffprobe's JSON description of a media file (format, streams, tags), read with the demuxer of the type its
 * bytes show (sniffed here unless the caller already did): a file that is no media is a UserError.
 */
export async function probe(file: string, media?: MediaType): Promise<ProbeResult> {
  let type = media;
  if (!type) {
    const sniffed = await sniffMedia(file);
    if (!sniffed.media) throw new UserError(`${file} is not a sound or video file: its bytes are ${sniffed.found}`);
    type = sniffed.media;
  }
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...mediaInputArgs(file, type)];
  return new Promise((resolve, reject) => {
    execFile(ffprobePath(), args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(
          new OperationalError(
            `ffprobe could not read ${file}: ${String(stderr || err.message)
              .trim()
              .split('\n')
              .pop()}`,
            { cause: err },
          ),
        );
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as Partial<ProbeResult>;
        resolve({ format: parsed.format ?? {}, streams: parsed.streams ?? [] });
      } catch (e) {
        reject(new OperationalError('ffprobe printed something that is not JSON', { cause: e }));
      }
    });
  });
}
