import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultCache, UserError } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { LoadVideo } from '../video/load-video.js';
import { ffmpegPath } from './binaries.js';

// LoadVideo's frames are decoded from the file as they are asked for: what the value holds (and reports to
// the cache's byte budget) is a frame or two, not the clip; the frames are exactly those of a full decode.

const W = 320;
const H = 240;
const N = 60;
const FRAME = W * H * 3;
let host: TestHost;
let whole: Buffer;

beforeAll(async () => {
  host = await createTestHost();
  execFileSync(ffmpegPath(), [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${W}x${H}:rate=24`,
    '-frames:v',
    String(N),
    '-pix_fmt',
    'yuv420p',
    path.join(host.inputDir, 'clip.mp4'),
  ]);
  // The reference: every frame in one decode.
  whole = execFileSync(
    ffmpegPath(),
    ['-v', 'error', '-i', path.join(host.inputDir, 'clip.mp4'), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { maxBuffer: 1024 ** 3 },
  );
});
afterAll(() => host.cleanup());

const reference = (i: number) => new Uint8Array(whole.subarray(i * FRAME, (i + 1) * FRAME));
const load = async (name = 'clip.mp4') => (await runNode(LoadVideo, createTestCtx(host.services), {}, { video: name })).video;

describe('LoadVideo decodes from the file as frames are asked for', () => {
  it('holds a frame or two, not the clip, and says so to the cache budget', async () => {
    expect(whole.length).toBe(N * FRAME);
    const video = await load();
    expect(video.frameCount).toBe(N);
    // The most it ever holds (the last frame and one read ahead per decoder), whatever the clip's length.
    expect(video.byteSize()).toBeLessThanOrEqual(4 * FRAME);
    expect(video.byteSize()).toBeLessThan((N / 10) * FRAME);
    for (let i = 0; i < N; i++) {
      const f = await video.frameAt(i);
      expect(Buffer.from(f).equals(Buffer.from(reference(i))), `frame ${i}`).toBe(true);
    }
    const cache = new ResultCache({ maxBytes: 64 * 1024 ** 2 });
    cache.store('k', LoadVideo as never, { outputs: { video }, ui: [] });
    expect(cache.stats().bytes).toBeLessThanOrEqual(4 * FRAME + 1024);
  });

  it('serves random access, backwards and interleaved consumers with the right frames', async () => {
    const video = await load();
    const order = [30, 31, 5, 5, 59, 0, 12];
    for (const i of order) expect(Buffer.from(await video.frameAt(i)).equals(Buffer.from(reference(i))), `frame ${i}`).toBe(true);
    // Two consumers reading in order at once (a SaveVideo and a preview of the same clip).
    const a = Array.from({ length: 20 }, (_, i) => video.frameAt(i));
    const b = Array.from({ length: 20 }, (_, i) => video.frameAt(i + 20));
    const [fa, fb] = await Promise.all([Promise.all(a), Promise.all(b)]);
    fa.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(reference(i)))).toBe(true));
    fb.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(reference(i + 20)))).toBe(true));
    await expect(video.frameAt(N)).rejects.toThrow(RangeError);
  });

  it('refuses to read a file that changed after it was loaded', async () => {
    execFileSync('cp', [path.join(host.inputDir, 'clip.mp4'), path.join(host.inputDir, 'changing.mp4')]);
    const video = await load('changing.mp4');
    // Read to the end: that decoder is done and gone, only the last frame is held.
    for (let i = 0; i < N; i++) await video.frameAt(i);
    await appendFile(path.join(host.inputDir, 'changing.mp4'), Buffer.alloc(100));
    const err = await video.frameAt(0).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/"changing\.mp4" changed after it was loaded; run the workflow again/);
  });
});
