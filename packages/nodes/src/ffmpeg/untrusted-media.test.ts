import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@kinegraph/graph-core';
import { LoadAudio } from '../audio/load-audio.js';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { LoadVideo } from '../video/load-video.js';
import { ffmpegPath } from './binaries.js';
import { mediaInputArgs, sniffMedia } from './media-type.js';
import { probe } from './probe.js';

// Hostile files that are text ffmpeg would follow to other files (an HLS playlist, a concat script) under
// media names, pointing at a secret outside the input folder. Every ffmpeg and ffprobe call on user media
// must read them as the type their bytes show, so they fail and no byte of the secret comes out.

let host: TestHost;
let secretDir: string;
let secret: string;
const marker = `KINEGRAPH-SECRET-${randomUUID()}`;

const ffmpeg = (...args: string[]) =>
  execFileSync(ffmpegPath(), ['-v', 'error', '-nostdin', '-y', ...args], { maxBuffer: 64 * 1024 * 1024 });
const input = (name: string) => path.join(host.inputDir, name);
const playlist = (entry: string) => `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\n${entry}\n#EXT-X-ENDLIST\n`;
/** An empty ID3v2.4 tag: the bytes that make a file "an MP3" to a sniffer, before a playlist. */
const ID3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);

const loadAudio = (name: string) => runNode(LoadAudio, createTestCtx(host.services), {}, { audio: name });
const loadVideo = (name: string) => runNode(LoadVideo, createTestCtx(host.services), {}, { video: name });
async function refusal(attempt: Promise<unknown>): Promise<UserError> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

beforeAll(async () => {
  host = await createTestHost();
  secretDir = await mkdtemp(path.join(tmpdir(), 'kinegraph-secret-'));
  secret = path.join(secretDir, 'secret.wav');
  // A real sound, so a playlist that reached it would decode it; the marker sits in its INFO chunk.
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=1234:duration=1', '-c:a', 'pcm_s16le', '-metadata', `comment=${marker}`, secret);
  expect((await readFile(secret)).includes(marker)).toBe(true);

  await writeFile(input('playlist.mp3'), playlist(secret));
  await writeFile(input('playlist-url.mp3'), playlist(`file://${secret}`));
  await writeFile(input('playlist.m3u8'), playlist(secret));
  await writeFile(input('playlist.mp4'), playlist(secret));
  await writeFile(input('id3-playlist.mp3'), Buffer.concat([ID3, Buffer.from(playlist(secret))]));
  await writeFile(input('concat.mp3'), `ffconcat version 1.0\nfile '${secret}'\n`);
  await writeFile(input('concat.mp4'), `ffconcat version 1.0\nfile '${secret}'\nfile '${secret}'\n`);

  // Ordinary files, made by the same ffmpeg.
  const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1:sample_rate=44100'];
  const picture = ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=12:duration=1'];
  ffmpeg(...tone, '-c:a', 'libmp3lame', '-q:a', '4', input('tone.mp3'));
  ffmpeg(...tone, '-c:a', 'pcm_s16le', input('tone.wav'));
  ffmpeg(...tone, '-c:a', 'flac', input('tone.flac'));
  ffmpeg(...tone, '-c:a', 'libopus', input('tone.ogg'));
  ffmpeg(...tone, '-c:a', 'aac', input('tone.m4a'));
  ffmpeg(...picture, ...tone, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', input('clip.mp4'));
  ffmpeg(...picture, ...tone, '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-c:a', 'libopus', '-shortest', input('clip.webm'));
  ffmpeg(...picture, input('clip.gif'));
  // A WAV under an MP3 name, and a name with a colon (never read as a protocol): the bytes decide.
  await copyFile(input('tone.wav'), input('really-a-wav.mp3'));
  await copyFile(input('tone.wav'), input('odd:name.wav'));
});
afterAll(async () => {
  await host.cleanup();
  await rm(secretDir, { recursive: true, force: true });
});

describe('untrusted media', () => {
  it('the fixtures are real attacks: ffmpeg left to guess the type reads the secret through the playlist', () => {
    const leaked = ffmpeg('-i', input('playlist.m3u8'), '-f', 's16le', '-ac', '1', 'pipe:1');
    const direct = ffmpeg('-i', secret, '-f', 's16le', '-ac', '1', 'pipe:1');
    expect(leaked.length).toBeGreaterThan(40000);
    expect(leaked.equals(direct)).toBe(true);
  });

  it('sniffs the type from the bytes and reads exactly that file with protocols file and pipe only', async () => {
    const demuxer = async (name: string) => (await sniffMedia(input(name))).media?.demuxer;
    expect(await demuxer('tone.mp3')).toBe('mp3');
    expect(await demuxer('really-a-wav.mp3')).toBe('wav');
    expect(await demuxer('tone.flac')).toBe('flac');
    expect(await demuxer('tone.ogg')).toBe('ogg');
    expect(await demuxer('tone.m4a')).toBe('mov');
    expect(await demuxer('clip.mp4')).toBe('mov');
    expect(await demuxer('clip.webm')).toBe('matroska');
    expect(await demuxer('clip.gif')).toBe('gif');
    expect(await sniffMedia(input('playlist.mp3'))).toMatchObject({ found: 'an HLS/M3U playlist (text)', fetchesOthers: true });
    expect(await sniffMedia(input('concat.mp3'))).toMatchObject({ found: 'an ffmpeg concat script (text)', fetchesOthers: true });
    const media = (await sniffMedia(input('tone.wav'))).media!;
    expect(mediaInputArgs('/in/a:b.wav', media)).toEqual(['-protocol_whitelist', 'file,pipe', '-f', 'wav', '-i', 'file:/in/a:b.wav']);
  });

  it.each(['playlist.mp3', 'playlist-url.mp3', 'playlist.m3u8', 'playlist.mp4'])(
    'refuses the HLS playlist %s, naming it and its type',
    async (name) => {
      for (const err of [await refusal(loadAudio(name)), await refusal(loadVideo(name))]) {
        expect(err.message).toContain(`"${name}"`);
        expect(err.message).toMatch(/its bytes are an HLS\/M3U playlist \(text\).*refused because they make ffmpeg read other files/);
        expect(err.message).not.toContain(marker);
      }
      await expect(probe(input(name))).rejects.toThrow(/is not a sound or video file: its bytes are an HLS\/M3U playlist/);
    },
  );

  it.each(['concat.mp3', 'concat.mp4'])('refuses the concat script %s, naming it and its type', async (name) => {
    for (const err of [await refusal(loadAudio(name)), await refusal(loadVideo(name))]) {
      expect(err.message).toContain(`"${name}"`);
      expect(err.message).toMatch(/its bytes are an ffmpeg concat script \(text\)/);
      expect(err.message).not.toContain(marker);
    }
  });

  it('reads a playlist behind an ID3 tag as the MP3 the sniffer calls it, which holds no sound', async () => {
    const err = await refusal(loadAudio('id3-playlist.mp3'));
    expect(err.message).toMatch(/"id3-playlist\.mp3" is not a readable audio file/);
    expect(err.message).not.toContain(marker);
    await refusal(loadVideo('id3-playlist.mp3'));
  });

  it('lets nothing of the secret reach an output', async () => {
    // Nothing decoded, so nothing was written anywhere the run could serve.
    expect(await readdir(host.outputDir)).toEqual([]);
    expect(await readdir(host.tempDir)).toEqual([]);
  });

  it.each(['tone.mp3', 'tone.wav', 'tone.flac', 'tone.ogg', 'tone.m4a', 'clip.mp4', 'clip.webm', 'really-a-wav.mp3', 'odd:name.wav'])(
    'still loads the sound of %s',
    async (name) => {
      const { audio } = await loadAudio(name);
      expect(audio.durationSeconds).toBeGreaterThan(0.9);
      expect(audio.durationSeconds).toBeLessThan(1.1);
      const peak = audio.samples.reduce((m: number, v: number) => Math.max(m, Math.abs(v)), 0);
      expect(peak).toBeGreaterThan(0.05);
    },
  );

  it.each(['clip.mp4', 'clip.webm', 'clip.gif'])('still loads the frames of %s', async (name) => {
    const out = await loadVideo(name);
    expect([out.video.width, out.video.height]).toEqual([64, 48]);
    expect(out.frames).toBe(12);
  });

  it('calls a picture what it is', async () => {
    await writeFile(
      input('still.mp4'),
      ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=16x16', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'),
    );
    expect((await refusal(loadVideo('still.mp4'))).message).toBe(
      '"still.mp4" is not a video: its bytes are image/png (.png), not a sound or video file (Load Image reads pictures)',
    );
    expect((await refusal(loadAudio('still.mp4'))).message).toMatch(/^"still\.mp4" has no audio track: its bytes are image\/png/);
  });
});
