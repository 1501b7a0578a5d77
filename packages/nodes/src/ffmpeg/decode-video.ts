import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { AbortError, OperationalError, UserError } from '@kinegraph/graph-core';
import { VideoValue } from '../values/video.js';
import { ffmpegPath } from './binaries.js';
import { mediaInputArgs, requireMedia } from './media-type.js';
import { probe } from './probe.js';
import { videoFileSource } from './video-file-source.js';

/**
 * Most frames a clip may have (max_frames' own maximum). Frames are decoded as consumers ask for them, so
 * memory does not limit this; time does: every consumer decodes the clip again, a decompression bomb (a tiny
 * file of a million frames) would stall every run that reads it.
 */
export const MAX_VIDEO_FRAMES = 100_000;

export interface DecodeVideoOptions {
  /** 0: every frame. */
  maxFrames: number;
  signal?: AbortSignal;
  /** Called as frames arrive. */
  onFrame?: (decoded: number, expected: number) => void;
  /** Problems that still leave a usable clip (a file cut short decodes only its first part). */
  onWarning?: (message: string) => void;
}

/**
 * Opens the first video track of a file as a VIDEO whose frames are decoded from the file as they are asked
 * for (rotation metadata applied, as players do), read as the type its bytes show, never as whatever ffmpeg
 * would guess (see media-type.ts). Loading decodes the clip once to count its frames exactly and to find a
 * file that is cut short or damaged now rather than mid-run; it keeps none of them (see video-file-source.ts).
 */
export async function decodeVideoFile(file: string, name: string, o: DecodeVideoOptions): Promise<VideoValue> {
  const info = await stat(file).catch(() => undefined);
  if (!info || !info.isFile()) throw new UserError(`Video file "${name}" not found`, 'video');
  if (info.size === 0) throw new UserError(`Video file "${name}" is empty (0 bytes)`, 'video');
  const media = await requireMedia(file, name, 'video', 'video');
  const probed = await probe(file, media).catch(() => undefined);
  if (!probed) throw new UserError(`"${name}" is not a readable video file`, 'video');
  const track = probed.streams.find((s) => s.codec_type === 'video');
  if (!track || !track.width || !track.height) throw new UserError(`"${name}" has no video track`, 'video');

  const rotation = Math.abs(Number(track.tags?.rotate ?? 0)) % 180;
  const width = rotation === 90 ? track.height : track.width;
  const height = rotation === 90 ? track.width : track.height;
  const fps = frameRate(track.r_frame_rate) ?? 24;
  const duration = Number(probed.format.duration ?? 0);
  const expected = Number(track.nb_frames) || Math.round(duration * fps) || 0;
  const limit = o.maxFrames > 0 ? Math.min(o.maxFrames, MAX_VIDEO_FRAMES) : MAX_VIDEO_FRAMES;
  const planned = expected ? Math.min(expected, limit) : limit;

  // The counting pass: the same decode as the frames will get (same track, same frame selection), scaled to
  // a few gray pixels so almost nothing crosses the pipe. One past the limit tells a clip that is too long.
  const args = [
    '-v',
    'error',
    '-nostdin',
    ...mediaInputArgs(file, media),
    '-map',
    '0:v:0',
    '-frames:v',
    String(limit + (o.maxFrames > 0 ? 0 : 1)),
    '-vf',
    `scale=${COUNT_SIDE}:${COUNT_SIDE}:flags=neighbor`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ];
  const frameBytes = COUNT_SIDE * COUNT_SIDE;
  let bytes = 0;
  let frames = 0;
  let stderr = '';
  let failure: unknown;
  const code = await new Promise<number | null>((resolve, reject) => {
    const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
    proc.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      const whole = Math.floor(bytes / frameBytes);
      while (frames < whole && !failure) {
        frames++;
        try {
          o.onFrame?.(frames, planned);
        } catch (err) {
          // Progress throws when the run is interrupted: stop ffmpeg, report after it exits.
          failure ??= err;
          proc.kill('SIGKILL');
        }
      }
    });
    proc.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8000) stderr += c.toString();
    });
    proc.on('error', (err) =>
      reject(o.signal?.aborted ? new AbortError() : new OperationalError(`Could not start ffmpeg: ${err.message}`, { cause: err })),
    );
    proc.on('close', resolve);
  });
  if (failure) throw failure;
  if (o.maxFrames <= 0 && frames > MAX_VIDEO_FRAMES) {
    throw new UserError(`"${name}" has more than ${MAX_VIDEO_FRAMES} frames; set max_frames to load part of it`, 'max_frames');
  }
  // ffmpeg's last word, without the file's full path (the user named it; a server's folders stay private).
  const why = stderr.trim().split('\n').pop()?.replace(`file:${file}: `, '');
  if (code !== 0 && !frames) {
    throw new UserError(`"${name}" could not be decoded, the file looks truncated or damaged: ${why ?? `exit code ${code}`}`, 'video');
  }
  if (!frames) throw new UserError(`"${name}" holds no video frames`, 'video');
  // A file cut short (an interrupted download or copy) decodes its first part, with ffmpeg exiting 0 or not
  // depending on where the cut falls: keep what decoded and say so, rather than a silently short clip or a failure.
  if ((expected > 1 && frames < planned - 1) || code !== 0) {
    const of =
      expected > 1 ? `should hold ${planned} frames but only ${frames} could be decoded` : `stopped decoding after ${frames} frames`;
    o.onWarning?.(`"${name}" ${of}: the file looks truncated or damaged${why ? ` (${why})` : ''}`);
  }
  return new VideoValue(
    videoFileSource({ file, name, media, width, height, fps, frameCount: frames, size: info.size, mtimeMs: info.mtimeMs }),
  );
}

/** Side of the gray thumbnails the counting pass decodes to. */
const COUNT_SIDE = 4;

function frameRate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const [n, d] = text.split('/').map(Number);
  const rate = d ? n / d : n;
  return Number.isFinite(rate) && rate > 0 && rate < 1000 ? rate : undefined;
}
