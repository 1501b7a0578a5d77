import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { AbortError, OperationalError, UserError } from '@kinegraph/graph-core';
import { videoFromFrames, type VideoValue } from '../values/video.js';
import { ffmpegPath } from './binaries.js';
import { mediaInputArgs, requireMedia } from './media-type.js';
import { probe } from './probe.js';

/** Decoded clips are held in memory: refuse more than this many bytes of RGB frames. */
export const MAX_DECODED_BYTES = 2 * 1024 ** 3;

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
 * Decodes the first video track of a file into RGB frames (rotation metadata applied, as players do), read
 * as the type its bytes show, never as whatever ffmpeg would guess (see media-type.ts).
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
  const frameBytes = width * height * 3;
  const planned = o.maxFrames > 0 ? (expected ? Math.min(expected, o.maxFrames) : o.maxFrames) : expected;
  if (planned * frameBytes > MAX_DECODED_BYTES) {
    throw new UserError(
      `"${name}" is ${width}x${height} with about ${planned} frames (${(planned * frameBytes / 1024 ** 3).toFixed(1)} GB decoded); set max_frames to load part of it`,
      'max_frames',
    );
  }

  const args = ['-v', 'error', '-nostdin', ...mediaInputArgs(file, media), '-map', '0:v:0', ...(o.maxFrames > 0 ? ['-frames:v', String(o.maxFrames)] : []),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const frames: Uint8Array[] = [];
  // Bytes arrive in pipe-sized chunks; each is copied once into the frame it belongs to.
  let current = new Uint8Array(frameBytes);
  let filled = 0;
  let stderr = '';
  let tooBig = false;
  let failure: unknown;
  const code = await new Promise<number | null>((resolve, reject) => {
    const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
    proc.stdout.on('data', (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - at);
        current.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === frameBytes) {
          frames.push(current);
          current = new Uint8Array(frameBytes);
          filled = 0;
          try {
            o.onFrame?.(frames.length, planned);
          } catch (err) {
            // Progress throws when the run is interrupted: stop ffmpeg, report after it exits.
            failure ??= err;
            proc.kill('SIGKILL');
            return;
          }
        }
      }
      if ((frames.length + 1) * frameBytes > MAX_DECODED_BYTES) {
        tooBig = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8000) stderr += c.toString();
    });
    proc.on('error', (err) => reject(o.signal?.aborted ? new AbortError() : new OperationalError(`Could not start ffmpeg: ${err.message}`, { cause: err })));
    proc.on('close', resolve);
  });
  if (failure) throw failure;
  if (tooBig) throw new UserError(`"${name}" decodes to more than ${MAX_DECODED_BYTES / 1024 ** 3} GB of frames; set max_frames`, 'max_frames');
  // ffmpeg's last word, without the file's full path (the user named it; a server's folders stay private).
  const why = stderr.trim().split('\n').pop()?.replace(`file:${file}: `, '');
  if (code !== 0 && !frames.length) {
    throw new UserError(`"${name}" could not be decoded, the file looks truncated or damaged: ${why ?? `exit code ${code}`}`, 'video');
  }
  if (!frames.length) throw new UserError(`"${name}" holds no video frames`, 'video');
  // A file cut short (an interrupted download or copy) decodes its first part, with ffmpeg exiting 0 or not
  // depending on where the cut falls: keep what decoded and say so, rather than a silently short clip or a failure.
  if ((expected > 1 && frames.length < planned - 1) || code !== 0) {
    const of = expected > 1 ? `should hold ${planned} frames but only ${frames.length} could be decoded` : `stopped decoding after ${frames.length} frames`;
    o.onWarning?.(`"${name}" ${of}: the file looks truncated or damaged${why ? ` (${why})` : ''}`);
  }
  return videoFromFrames(width, height, fps, frames);
}

function frameRate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const [n, d] = text.split('/').map(Number);
  const rate = d ? n / d : n;
  return Number.isFinite(rate) && rate > 0 && rate < 1000 ? rate : undefined;
}
