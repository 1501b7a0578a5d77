import { Readable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { AbortError, OperationalError } from '@kinegraph/graph-core';
import type { AudioValue } from '../values/audio.js';
import { ffmpegPath } from './binaries.js';

export const AUDIO_FORMATS = ['flac', 'mp3', 'opus', 'wav'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];
export const AUDIO_MIME: Record<AudioFormat, string> = { flac: 'audio/flac', mp3: 'audio/mpeg', opus: 'audio/ogg', wav: 'audio/wav' };
export const AUDIO_EXT: Record<AudioFormat, string> = { flac: 'flac', mp3: 'mp3', opus: 'ogg', wav: 'wav' };

function codecArgs(format: AudioFormat): string[] {
  switch (format) {
    case 'flac':
      return ['-c:a', 'flac', '-f', 'flac'];
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-q:a', '2', '-id3v2_version', '4', '-f', 'mp3'];
    case 'opus':
      return ['-c:a', 'libopus', '-b:a', '160k', '-ar', '48000', '-f', 'ogg'];
    case 'wav':
      return ['-c:a', 'pcm_s16le', '-f', 'wav'];
  }
}

/** Encodes AUDIO into one file; the float samples are piped to ffmpeg's stdin, tags passed as arguments. */
export async function encodeAudio(o: {
  audio: AudioValue;
  format: AudioFormat;
  outFile: string;
  tags?: Record<string, string>;
  signal?: AbortSignal;
}): Promise<void> {
  const { audio } = o;
  const bytes = Buffer.from(audio.samples.buffer, audio.samples.byteOffset, audio.samples.byteLength);
  const tagArgs = Object.entries(o.tags ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  const command = ffmpeg({ stdoutLines: 40 })
    .setFfmpegPath(ffmpegPath())
    .input(Readable.from([bytes]))
    .inputOptions('-f', 'f32le', '-ar', String(audio.sampleRate), '-ac', String(audio.channels))
    .outputOptions('-y', ...codecArgs(o.format), ...tagArgs)
    .output(o.outFile);
  if (o.signal?.aborted) throw new AbortError();
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => command.kill('SIGKILL');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    command
      .on('end', () => {
        o.signal?.removeEventListener('abort', onAbort);
        resolve();
      })
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
        o.signal?.removeEventListener('abort', onAbort);
        if (o.signal?.aborted) return reject(new AbortError());
        const tail = String(stderr ?? '')
          .trim()
          .split('\n')
          .slice(-3)
          .join(' | ');
        reject(
          new OperationalError(`ffmpeg failed writing ${o.format.toUpperCase()}: ${err.message}${tail ? ` (${tail})` : ''}`, {
            cause: err,
          }),
        );
      })
      .run();
  });
}
