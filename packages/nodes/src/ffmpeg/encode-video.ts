import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AbortError, OperationalError } from '@kinegraph/graph-core';
import { addGifComment } from '../metadata/gif-comment.js';
import type { AudioValue } from '../values/audio.js';
import type { VideoValue } from '../values/video.js';
import { ffmpegPath } from './binaries.js';
import { videoOutputArgs, type RawPixelFormat, type VideoFormat } from './video-args.js';

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
 * Encodes a VIDEO (and optional AUDIO) into one file. Frames stream raw (rgb24, or I420 where the source
 * draws it) into ffmpeg's stdin, pulled one at a time from the (possibly lazy) source, so memory stays at a
 * few frames whatever the clip's length; no frame ever touches the disk as an image file. ffmpeg is driven from a worker thread so
 * that rendering the next frame (main thread) and encoding the last ones (ffmpeg) overlap.
 */
export async function encodeVideo(o: EncodeVideoOptions): Promise<void> {
  const { video } = o;
  if (video.frameCount < 1) throw new OperationalError('The video has no frames');
  // Sources that draw I420 themselves spare the RGB frame and ffmpeg's conversion (not for GIF: its palette is RGB).
  const source = video.source;
  // postMessage copies each frame, so one scratch buffer serves every I420 frame drawn on this thread.
  let reused: Uint8Array | undefined;
  const i420At = o.format !== 'gif' && source.i420At ? async (i: number) => (reused = await source.i420At!(i, reused)) : undefined;
  const input: RawPixelFormat = i420At ? 'yuv420p' : 'rgb24';
  const frameBytes = i420At ? (video.width * video.height * 3) / 2 : video.width * video.height * 3;
  await mkdir(o.tempDir, { recursive: true });
  const scratch = path.join(o.tempDir, `encode-${randomBytes(6).toString('hex')}`);
  const audioFile = o.audio && o.format !== 'gif' ? `${scratch}.f32le` : undefined;

  try {
    if (audioFile && o.audio) await writeFile(audioFile, trimmedSamples(o.audio, video.frameCount / video.fps));
    const maps: string[] = o.format === 'gif' ? [] : ['-map', '0:v'];
    if (audioFile) maps.push('-map', '1:a');
    // Tags go as arguments: this ffmpeg's ffmetadata reader cuts long lines (a workflow is one long line).
    const tagArgs = o.format === 'gif' ? [] : Object.entries(o.tags ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
    const args = videoOutputArgs({
      format: o.format,
      quality: o.quality,
      preset: o.preset,
      audioSeconds: audioFile ? video.frameCount / video.fps : undefined,
      scaleTo: o.scaleTo,
      width: video.width,
      height: video.height,
      input,
    });
    await runEncoder(o, i420At ?? ((i) => video.frameAt(i)), {
      ffmpegPath: ffmpegPath(),
      frameBytes,
      inputOptions: ['-f', 'rawvideo', '-pix_fmt', input, '-s', `${video.width}x${video.height}`, '-r', String(video.fps)],
      audio:
        audioFile && o.audio
          ? { file: audioFile, inputOptions: ['-f', 'f32le', '-ar', String(o.audio.sampleRate), '-ac', String(o.audio.channels)] }
          : undefined,
      outputOptions: ['-y', ...maps, ...args, ...tagArgs],
      outFile: o.outFile,
    });

    if (o.format === 'gif' && o.tags) {
      const text = Object.values(o.tags)[0];
      if (text !== undefined) await writeFile(o.outFile, addGifComment(await readFile(o.outFile), text));
    }
  } finally {
    if (audioFile) await rm(audioFile, { force: true });
  }
}

interface WorkerSetup {
  ffmpegPath: string;
  frameBytes: number;
  inputOptions: string[];
  audio?: { file: string; inputOptions: string[] };
  outputOptions: string[];
  outFile: string;
}

type WorkerMessage = { type: 'credit' } | { type: 'done' } | { type: 'error'; message: string; stderr: string };

/** Frames kept in flight towards the encoder thread: enough to ride out a slow frame, few enough for memory. */
const FRAMES_IN_FLIGHT = 3;

/**
 * Posts the frames, in order, to the encoder thread (encode-worker.mjs), at most FRAMES_IN_FLIGHT ahead of
 * what it has handed to ffmpeg. An abort or a bad frame kills ffmpeg; an ffmpeg failure stops the frames.
 */
async function runEncoder(o: EncodeVideoOptions, frameAt: (i: number) => Promise<Uint8Array>, setup: WorkerSetup): Promise<void> {
  const { video } = o;
  if (o.signal?.aborted) throw new AbortError();
  const worker = new Worker(new URL('./encode-worker.mjs', import.meta.url), { workerData: setup });
  let credits = FRAMES_IN_FLIGHT;
  let wake: (() => void) | undefined;
  let outcome: { ok: true } | { ok: false; error: Error } | undefined;
  const finished = new Promise<void>((resolve) => {
    const settle = (result: NonNullable<typeof outcome>) => {
      outcome ??= result;
      wake?.();
      resolve();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'credit') {
        credits++;
        wake?.();
      } else if (m.type === 'done') settle({ ok: true });
      else {
        const tail = m.stderr.trim().split('\n').slice(-4).join(' | ');
        settle({
          ok: false,
          error: new OperationalError(`ffmpeg failed writing ${o.format.toUpperCase()}: ${m.message}${tail ? ` (${tail})` : ''}`),
        });
      }
    });
    worker.on('error', (err: Error) =>
      settle({ ok: false, error: new OperationalError(`The encoder thread failed: ${err.message}`, { cause: err }) }),
    );
    worker.on('exit', () => settle({ ok: false, error: new OperationalError('The encoder thread stopped early') }));
  });
  const onAbort = () => worker.postMessage({ type: 'abort' });
  o.signal?.addEventListener('abort', onAbort, { once: true });

  let failure: unknown;
  try {
    for (let i = 0; i < video.frameCount && !outcome; i++) {
      o.onFrame?.(i, video.frameCount);
      const frame = await frameAt(i);
      if (frame.length !== setup.frameBytes) {
        throw new OperationalError(
          `Frame ${i} has ${frame.length} bytes, a ${video.width}x${video.height} frame needs ${setup.frameBytes}`,
        );
      }
      while (credits === 0 && !outcome) await new Promise<void>((r) => (wake = r));
      if (outcome) break;
      credits--;
      worker.postMessage({ type: 'frame', data: frame });
    }
    if (!outcome) worker.postMessage({ type: 'end' });
  } catch (err) {
    failure = err;
    worker.postMessage({ type: 'abort' });
  }
  // After a failure ffmpeg is being killed; never wait on it for long.
  await (failure ? Promise.race([finished, new Promise((r) => setTimeout(r, 5000).unref())]) : finished);
  o.signal?.removeEventListener('abort', onAbort);
  await worker.terminate();
  if (failure) throw failure;
  if (o.signal?.aborted) throw new AbortError();
  if (outcome && !outcome.ok) throw outcome.error;
}

/** The samples that play while the video does: a longer track is cut (ffmpeg pads a shorter one with silence). */
function trimmedSamples(audio: AudioValue, seconds: number): Uint8Array {
  const count = Math.min(audio.samples.length, Math.ceil(seconds * audio.sampleRate) * audio.channels);
  const s = audio.samples.subarray(0, count);
  return new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
}
