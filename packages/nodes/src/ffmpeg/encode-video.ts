import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { AbortError, OperationalError } from '@kinegraph/graph-core';
import { addGifComment } from '../metadata/gif-comment.js';
import type { AudioValue } from '../values/audio.js';
import type { VideoValue } from '../values/video.js';
import { ffmpegPath } from './binaries.js';
import { videoOutputArgs, type VideoFormat } from './video-args.js';

export interface EncodeVideoOptions {
  video: VideoValue;
  audio?: AudioValue;
  format: VideoFormat;
  /** 1..100 */
  quality: number;
  outFile: string;
  /** Where the audio track waits for ffmpeg (deleted afterwards). */
  tempDir: string;
  /** Global tags (the workflow): MP4 and WebM tags, a GIF comment. Each value must stay under 128 KiB. */
  tags?: Record<string, string>;
  scaleTo?: { width: number; height: number };
  preset?: string;
  signal?: AbortSignal;
  /** Called before frame i is rendered; may throw (an AbortError stops the encode). */
  onFrame?: (index: number, count: number) => void;
}

/**
 * Encodes a VIDEO (and optional AUDIO) into one file. Frames stream as raw rgb24 into ffmpeg's stdin,
 * pulled one at a time from the (possibly lazy) source, so memory stays at a few frames whatever the
 * clip's length; no frame ever touches the disk as an image file.
 */
export async function encodeVideo(o: EncodeVideoOptions): Promise<void> {
  const { video } = o;
  if (video.frameCount < 1) throw new OperationalError('The video has no frames');
  const frameBytes = video.width * video.height * 3;
  await mkdir(o.tempDir, { recursive: true });
  const scratch = path.join(o.tempDir, `encode-${randomBytes(6).toString('hex')}`);
  const audioFile = o.audio && o.format !== 'gif' ? `${scratch}.f32le` : undefined;

  let failure: unknown;
  async function* frames() {
    try {
      for (let i = 0; i < video.frameCount; i++) {
        o.onFrame?.(i, video.frameCount);
        const frame = await video.frameAt(i);
        if (frame.length !== frameBytes) {
          throw new OperationalError(`Frame ${i} has ${frame.length} bytes, a ${video.width}x${video.height} RGB frame needs ${frameBytes}`);
        }
        yield frame;
      }
    } catch (err) {
      failure = err;
      throw err;
    }
  }

  try {
    if (audioFile && o.audio) await writeFile(audioFile, trimmedSamples(o.audio, video.frameCount / video.fps));

    const command = ffmpeg({ stdoutLines: 40 })
      .setFfmpegPath(ffmpegPath())
      .input(Readable.from(frames(), { objectMode: false, highWaterMark: frameBytes * 2 }))
      .inputOptions('-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${video.width}x${video.height}`, '-r', String(video.fps));
    const maps: string[] = o.format === 'gif' ? [] : ['-map', '0:v'];
    if (audioFile && o.audio) {
      command.input(audioFile).inputOptions('-f', 'f32le', '-ar', String(o.audio.sampleRate), '-ac', String(o.audio.channels));
      maps.push('-map', '1:a');
    }
    // Tags go as arguments: this ffmpeg's ffmetadata reader cuts long lines (a workflow is one long line).
    const tagArgs = o.format === 'gif' ? [] : Object.entries(o.tags ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
    const args = videoOutputArgs({
      format: o.format,
      quality: o.quality,
      preset: o.preset,
      hasAudio: Boolean(audioFile),
      scaleTo: o.scaleTo,
      width: video.width,
      height: video.height,
    });
    command.outputOptions('-y', ...maps, ...args, ...tagArgs).output(o.outFile);

    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        failure ??= new AbortError();
        command.kill('SIGKILL');
      };
      if (o.signal?.aborted) return reject(new AbortError());
      o.signal?.addEventListener('abort', onAbort, { once: true });
      command
        .on('end', () => {
          o.signal?.removeEventListener('abort', onAbort);
          resolve();
        })
        .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
          o.signal?.removeEventListener('abort', onAbort);
          if (failure) return reject(failure);
          const tail = String(stderr ?? '').trim().split('\n').slice(-4).join(' | ');
          reject(new OperationalError(`ffmpeg failed writing ${o.format.toUpperCase()}: ${err.message}${tail ? ` (${tail})` : ''}`, { cause: err }));
        })
        .run();
    });

    if (o.format === 'gif' && o.tags) {
      const text = Object.values(o.tags)[0];
      if (text !== undefined) await writeFile(o.outFile, addGifComment(await readFile(o.outFile), text));
    }
  } finally {
    if (audioFile) await rm(audioFile, { force: true });
  }
}

/** The samples that play while the video does: a longer track is cut (ffmpeg pads a shorter one with silence). */
function trimmedSamples(audio: AudioValue, seconds: number): Uint8Array {
  const count = Math.min(audio.samples.length, Math.ceil(seconds * audio.sampleRate) * audio.channels);
  const s = audio.samples.subarray(0, count);
  return new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
}
