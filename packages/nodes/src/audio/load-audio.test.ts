import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { gradientImage } from '../test-support/images.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { SaveVideo } from '../video/save-video.js';
import { AudioValue } from '../values/audio.js';
import { LoadAudio } from './load-audio.js';

let host: TestHost;

/** A 16-bit PCM WAV written byte by byte: 0.5 s of a 1 kHz tone at 44.1 kHz, mono. */
function wav(): Buffer {
  const sr = 44100;
  const n = sr / 2;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8, 'latin1');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sr, 24);
  buf.writeUInt32LE(sr * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(16000 * Math.sin((2 * Math.PI * 1000 * i) / sr)), 44 + i * 2);
  return buf;
}

const load = (name: string, params: Record<string, unknown> = {}) =>
  runNode(LoadAudio, createTestCtx(host.services), {}, { audio: name, ...params });

beforeAll(async () => {
  host = await createTestHost();
  await writeFile(path.join(host.inputDir, 'tone.wav'), wav());
  await writeFile(path.join(host.inputDir, 'empty.mp3'), Buffer.alloc(0));
  await writeFile(path.join(host.inputDir, 'words.mp3'), 'not a sound at all, just words\n'.repeat(20));
  await gradientImage(32, 32).png().toFile(path.join(host.inputDir, 'picture.png'));
});
afterAll(() => host.cleanup());

describe('LoadAudio', () => {
  it('decodes a WAV into float samples, resampled and upmixed', async () => {
    const { audio } = await load('tone.wav');
    expect(audio).toBeInstanceOf(AudioValue);
    expect([audio.sampleRate, audio.channels]).toEqual([48000, 2]);
    expect(audio.durationSeconds).toBeCloseTo(0.5, 2);
    const peak = audio.samples.reduce((m: number, v: number) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.52);
    const mono = (await load('tone.wav', { channels: 'mono', sample_rate: '16000' })).audio;
    expect([mono.sampleRate, mono.channels]).toEqual([16000, 1]);
    expect(mono.samples.length).toBeCloseTo(8000, -1);
  });

  it('reads the soundtrack back out of a video SaveVideo wrote', async () => {
    const ctx = createTestCtx(host.services);
    const { audio: tone } = await load('tone.wav');
    await runNode(SaveVideo, ctx, { video: movingSquareVideo(32, 32, 12), audio: tone }, { filename_prefix: 'with-sound' });
    await copyFile(path.join(host.outputDir, ctx.uis[0].filename!), path.join(host.inputDir, 'clip.mp4'));
    const { audio } = await load('clip.mp4');
    expect(audio.channels).toBe(2);
    expect(audio.durationSeconds).toBeGreaterThan(0.45);
    expect(audio.durationSeconds).toBeLessThan(0.6);
  });

  it('refuses absolute paths outside the input folder (server hosts)', async () => {
    await expect(load(path.join(host.outputDir, 'x.mp4'))).rejects.toThrow(/Absolute paths are not allowed/);
  });

  it('gives clear errors for missing, empty, non-audio and picture files', async () => {
    const message = async (name: string) => {
      const err = await load(name).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UserError);
      return (err as Error).message;
    };
    expect(await message('nope.wav')).toMatch(/not found/);
    expect(await message('empty.mp3')).toMatch(/empty/);
    // The type comes from the bytes: the name says MP3, the bytes say text.
    expect(await message('words.mp3')).toBe('"words.mp3" is not a readable audio file: its bytes are text, not a sound or video file');
    expect(await message('picture.png')).toMatch(/^"picture\.png" has no audio track: its bytes are image\/png/);
  });
});
