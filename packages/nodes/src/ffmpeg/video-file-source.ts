import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { OperationalError, UserError } from '@kinegraph/graph-core';
import type { VideoSource } from '../values/video.js';
import { ffmpegPath } from './binaries.js';
import { mediaInputArgs, type MediaType } from './media-type.js';

export interface VideoFileInfo {
  file: string;
  /** The user's name for it (messages never show the path). */
  name: string;
  media: MediaType;
  width: number;
  height: number;
  fps: number;
  /** Exactly the frames a decode yields (counted when the file was loaded). */
  frameCount: number;
  /** Size and modification time when counted: a file changed since then is not read as if it were the same. */
  size: number;
  mtimeMs: number;
}

/** Decoders kept open at once: one per consumer reading in order (a SaveVideo and a preview of the same clip). */
const MAX_READERS = 3;
/** An idle decoder is stopped after this long (a consumer that stopped early leaves no ffmpeg behind). */
const IDLE_MS = 5_000;

/**
 * A clip decoded from its file as frames are asked for, never held whole: a 1080p clip of 300 frames is
 * 1.9 GB of RGB, more than the memory cache's whole budget, and every consumer reads frames in order anyway.
 * In memory at any time: the frame last handed out and one frame of read-ahead per open decoder (at most
 * MAX_READERS), and byteSize() reports that bound to the cache. Reading backwards starts a decoder again from
 * the first frame.
 */
export function videoFileSource(info: VideoFileInfo): VideoSource {
  const frameBytes = info.width * info.height * 3;
  const readers: FrameReader[] = [];
  let last: { index: number; frame: Uint8Array } | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const open = async (): Promise<FrameReader> => {
    const now = await stat(info.file).catch(() => undefined);
    if (!now || now.size !== info.size || now.mtimeMs !== info.mtimeMs) {
      throw new UserError(
        `"${info.name}" ${now ? 'changed' : 'was removed'} after it was loaded; run the workflow again to load it anew`,
        'video',
      );
    }
    if (readers.length >= MAX_READERS) readers.shift()!.close();
    const reader = new FrameReader(info, frameBytes, (r) => {
      const at = readers.indexOf(r);
      if (at >= 0) readers.splice(at, 1);
    });
    readers.push(reader);
    return reader;
  };

  const read = async (index: number): Promise<Uint8Array> => {
    if (!Number.isInteger(index) || index < 0 || index >= info.frameCount) {
      throw new RangeError(`Frame ${index} of "${info.name}" does not exist (it has ${info.frameCount})`);
    }
    if (last?.index === index) return last.frame;
    // The open decoder closest before the frame, or a new one from the start.
    let reader: FrameReader | undefined;
    for (const r of readers) if (r.next <= index && (!reader || r.next > reader.next)) reader = r;
    reader ??= await open();
    while (reader.next < index) await reader.frame(true);
    const frame = await reader.frame(false);
    if (reader.next >= info.frameCount) reader.close();
    last = { index, frame };
    return frame;
  };

  return {
    width: info.width,
    height: info.height,
    fps: info.fps,
    frameCount: info.frameCount,
    // One at a time: the decoders are shared state, and callers may well ask for frames concurrently.
    frameAt(index) {
      const next = chain.then(() => read(index));
      chain = next.catch(() => undefined);
      return next;
    },
    // The most it ever holds, not what it holds this instant: the cache measures a result once, when it is
    // stored, so an upper bound keeps its budget true however the frames are read later.
    byteSize: () => (1 + MAX_READERS) * frameBytes,
    decodesFromFile: true,
  };
}

/** One ffmpeg decoding the file to RGB in order; frames are taken off its stdout exactly as they are asked for. */
class FrameReader {
  next = 0;
  private readonly proc: ChildProcessByStdio<null, Readable, Readable>;
  private stderr = '';
  private closed = false;
  private failure: Error | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly info: VideoFileInfo,
    private readonly frameBytes: number,
    private readonly onClose: (r: FrameReader) => void,
  ) {
    const args = [
      '-v',
      'error',
      '-nostdin',
      ...mediaInputArgs(info.file, info.media),
      '-map',
      '0:v:0',
      '-frames:v',
      String(info.frameCount),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ];
    this.proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (c: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += c.toString();
    });
    this.proc.on('error', (err) => {
      this.failure ??= new OperationalError(`Could not start ffmpeg: ${err.message}`, { cause: err });
      this.wakeUp();
    });
    this.proc.stdout.on('data', (c: Buffer) => this.onData(c));
    // On exit its last frames may still wait in the pipe: they are read as usual, the stream then ends.
    this.proc.stdout.on('end', () => {
      this.ended = true;
      this.wakeUp();
    });
    this.proc.stdout.on('close', () => {
      this.ended = true;
      this.wakeUp();
    });
  }

  /** The next frame (or, with `skip`, reads past it without keeping it). */
  async frame(skip: boolean): Promise<Uint8Array> {
    this.stopIdle();
    while (this.buffered < this.frameBytes) {
      if (this.failure) throw this.failure;
      if (this.ended || this.closed) throw await this.endedEarly();
      this.proc.stdout.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const frame = skip ? EMPTY : new Uint8Array(this.frameBytes);
    let filled = 0;
    while (filled < this.frameBytes) {
      const head = this.chunks[0]!;
      const n = Math.min(head.length, this.frameBytes - filled);
      if (!skip) frame.set(head.subarray(0, n), filled);
      filled += n;
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    this.buffered -= this.frameBytes;
    this.next++;
    // At most one frame read ahead: below it, let ffmpeg go on.
    if (this.buffered < this.frameBytes) this.proc.stdout.resume();
    this.armIdle();
    return frame;
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered >= this.frameBytes) this.proc.stdout.pause();
    this.wakeUp();
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  close(): void {
    this.stopIdle();
    if (this.closed) return;
    this.closed = true;
    this.proc.kill('SIGKILL');
    this.proc.stdout.destroy();
    this.chunks.length = 0;
    this.buffered = 0;
    this.onClose(this);
    this.wakeUp();
  }

  private async endedEarly(): Promise<Error> {
    this.close();
    const now = await stat(this.info.file).catch(() => undefined);
    if (!now || now.size !== this.info.size || now.mtimeMs !== this.info.mtimeMs) {
      return new UserError(`"${this.info.name}" changed after it was loaded; run the workflow again to load it anew`, 'video');
    }
    const why = this.stderr.trim().split('\n').pop()?.replace(`file:${this.info.file}: `, '');
    return new OperationalError(
      `"${this.info.name}" stopped decoding at frame ${this.next} of ${this.info.frameCount}${why ? `: ${why}` : ''}`,
    );
  }

  private armIdle(): void {
    this.idle = setTimeout(() => this.close(), IDLE_MS);
    this.idle.unref();
  }

  private stopIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
  }
}

const EMPTY = new Uint8Array(0);
