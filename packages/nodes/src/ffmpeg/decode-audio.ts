import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { AbortError, OperationalError, UserError } from '@kinegraph/graph-core';
import { AudioValue } from '../values/audio.js';
import { ffmpegPath } from './binaries.js';
import { mediaInputArgs, requireMedia } from './media-type.js';
import { probe } from './probe.js';

export interface DecodeAudioOptions {
  sampleRate: number;
  channels: 1 | 2;
  maxSeconds: number;
  signal?: AbortSignal;
}

/**
 * Decodes the first audio track of a sound or video file into float PCM; a UserError says what is wrong.
 * The file is read as the type its bytes show, never as whatever ffmpeg would guess (see media-type.ts).
 */
export async function decodeAudioFile(file: string, name: string, o: DecodeAudioOptions): Promise<AudioValue> {
  const info = await stat(file).catch(() => undefined);
  if (!info || !info.isFile()) throw new UserError(`Audio file "${name}" not found`, 'audio');
  if (info.size === 0) throw new UserError(`Audio file "${name}" is empty (0 bytes)`, 'audio');

  const media = await requireMedia(file, name, 'audio', 'audio');
  const probed = await probe(file, media).catch(() => undefined);
  if (!probed) throw new UserError(`"${name}" is not a readable audio file`, 'audio');
  const track = probed.streams.find((s) => s.codec_type === 'audio');
  if (!track) throw new UserError(`"${name}" has no audio track`, 'audio');
  // ffmpeg's default upmix lowers a mono source by 3 dB; a mono recording should play at its own level.
  const upmix = track.channels === 1 && o.channels === 2 ? ['-af', 'pan=stereo|c0=c0|c1=c0'] : [];

  const args = [
    '-v',
    'error',
    '-nostdin',
    ...mediaInputArgs(file, media),
    '-vn',
    '-map',
    '0:a:0',
    '-t',
    String(o.maxSeconds),
    ...upmix,
    '-f',
    'f32le',
    '-acodec',
    'pcm_f32le',
    '-ac',
    String(o.channels),
    '-ar',
    String(o.sampleRate),
    'pipe:1',
  ];
  const chunks: Buffer[] = [];
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    proc.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8000) stderr += c.toString();
    });
    proc.on('error', (err) =>
      reject(o.signal?.aborted ? new AbortError() : new OperationalError(`Could not start ffmpeg: ${err.message}`, { cause: err })),
    );
    proc.on('close', resolve);
  });
  if (code !== 0) {
    // ffmpeg's last word, without the file's full path (a server's folders stay private).
    const why = (stderr.trim().split('\n').pop() ?? '').replace(`file:${file}: `, '');
    if (/matches no streams|does not contain any stream/i.test(stderr)) throw new UserError(`"${name}" has no audio track`, 'audio');
    if (/Invalid data found|could not find codec|moov atom not found|End of file|Invalid argument/i.test(stderr)) {
      throw new UserError(`"${name}" is not a readable audio file (${why})`, 'audio');
    }
    throw new OperationalError(`ffmpeg could not decode "${name}": ${why || `exit code ${code}`}`);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length < 4 * o.channels) throw new UserError(`"${name}" holds no audio samples`, 'audio');
  const samples = new Float32Array(Math.floor(bytes.length / 4));
  new Uint8Array(samples.buffer).set(bytes.subarray(0, samples.length * 4));
  return new AudioValue(o.sampleRate, o.channels, samples);
}
