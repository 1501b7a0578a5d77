import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError } from '@kinegraph/graph-core';
import { probe } from '../ffmpeg/probe.js';
import { readEmbeddedWorkflow } from '../metadata/read-embedded-workflow.js';
import { createTestCtx, createTestHost, runNode, testWorkflow, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { AudioValue } from '../values/audio.js';
import { VideoValue } from '../values/video.js';
import { SaveVideo } from './save-video.js';
import { decodeVideoFile } from '../ffmpeg/decode-video.js';
import { rgbToI420 } from '../i2v/parallax/render/yuv.js';

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

const video = movingSquareVideo(96, 64, 12, 24);
/** One second of a 440 Hz tone, stereo. */
const tone = (() => {
  const sr = 48000;
  const s = new Float32Array(sr * 2);
  for (let i = 0; i < sr; i++) s[i * 2] = s[i * 2 + 1] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr);
  return new AudioValue(sr, 2, s);
})();

async function save(params: Record<string, unknown>, inputs: Record<string, unknown> = { video }) {
  const ctx = createTestCtx(host.services);
  await runNode(SaveVideo, ctx, inputs, params);
  expect(ctx.uis).toHaveLength(1);
  return { ctx, file: path.join(host.outputDir, ctx.uis[0].filename!), ui: ctx.uis[0] };
}

describe('SaveVideo', () => {
  it('writes H.264 yuv420p MP4 with fast start and the workflow in its metadata', async () => {
    const { file, ui, ctx } = await save({ format: 'mp4', filename_prefix: 'clip' });
    expect(ui).toMatchObject({ kind: 'video', folder: 'output', mime: 'video/mp4', filename: 'clip_00001.mp4' });
    const info = await probe(file);
    const v = info.streams.find((s) => s.codec_type === 'video')!;
    expect(v).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 96, height: 64 });
    expect(Number(v.nb_frames)).toBe(12);
    expect(v.r_frame_rate).toBe('24/1');
    const bytes = await readFile(file);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat')); // +faststart
    expect(await readEmbeddedWorkflow(file)).toEqual(testWorkflow);
    expect(ctx.progressLog.at(-1)).toMatchObject({ value: 12, max: 12 });
  });

  it('embeds long workflows whole (plain up to 100 kB, compressed beyond), special characters included', async () => {
    for (const [repeat, format] of [
      [300, 'mp4'],
      [6000, 'mp4'],
      [20_000, 'webm'],
    ] as const) {
      const big = { ...testWorkflow, meta: { description: `a=b; #c \\ d\n ${'é'.repeat(5)}`.repeat(repeat) } };
      const ctx = createTestCtx(host.services, { workflow: big });
      await runNode(SaveVideo, ctx, { video }, { format, filename_prefix: 'big' });
      expect(ctx.warnings).toEqual([]);
      expect(await readEmbeddedWorkflow(path.join(host.outputDir, ctx.uis[0].filename!)), `${repeat} ${format}`).toEqual(big);
    }
  });

  it('numbers files and never overwrites', async () => {
    const { ui } = await save({ format: 'mp4', filename_prefix: 'clip' });
    expect(ui.filename).toBe('clip_00002.mp4');
  });

  it('muxes audio into MP4 (AAC) and keeps the workflow', async () => {
    const { file } = await save({ format: 'mp4', filename_prefix: 'sound' }, { video, audio: tone });
    const info = await probe(file);
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // The audio is cut to the video's half second.
    expect(Number(info.format.duration)).toBeLessThan(0.7);
    expect(await readEmbeddedWorkflow(file)).toEqual(testWorkflow);
  });

  it('writes VP9 WebM with the workflow, with and without Opus audio', async () => {
    const silent = await save({ format: 'webm', filename_prefix: 'web' });
    expect((await probe(silent.file)).streams.map((s) => s.codec_name)).toEqual(['vp9']);
    expect(silent.ui.mime).toBe('video/webm');
    expect(await readEmbeddedWorkflow(silent.file)).toEqual(testWorkflow);

    const withAudio = await save({ format: 'webm', filename_prefix: 'web' }, { video, audio: tone });
    expect((await probe(withAudio.file)).streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp9']);
    expect(await readEmbeddedWorkflow(withAudio.file)).toEqual(testWorkflow);
  });

  it('writes a palette GIF carrying the workflow as a comment, and warns that audio is dropped', async () => {
    const { file, ctx, ui } = await save({ format: 'gif', filename_prefix: 'anim' }, { video, audio: tone });
    expect(ui).toMatchObject({ kind: 'image', mime: 'image/gif' });
    const info = await probe(file);
    expect(info.streams[0]).toMatchObject({ codec_name: 'gif', width: 96, height: 64 });
    expect(await readEmbeddedWorkflow(file)).toEqual(testWorkflow);
    expect(ctx.warnings[0].message).toMatch(/GIF has no sound/);
  });

  it('encodes odd frame sizes (an odd column and row are cropped for yuv420p)', async () => {
    const { file } = await save({ format: 'mp4', filename_prefix: 'odd' }, { video: movingSquareVideo(33, 17, 3) });
    expect((await probe(file)).streams[0]).toMatchObject({ width: 32, height: 16 });
  });

  it('tags MP4 and WebM as BT.709, and frames drawn as I420 give the picture their RGB twins give', async () => {
    const withI420 = new VideoValue({ ...video.source, i420At: async (i) => rgbToI420(await video.frameAt(i), video.width, video.height) });
    const rgb = await save({ format: 'mp4', filename_prefix: 'rgb' });
    const i420 = await save({ format: 'mp4', filename_prefix: 'i420' }, { video: withI420 });
    const webm = await save({ format: 'webm', filename_prefix: 'tagged' }, { video: withI420 });
    for (const file of [rgb.file, i420.file, webm.file]) {
      expect((await probe(file)).streams[0]).toMatchObject({
        color_space: 'bt709',
        color_primaries: 'bt709',
        color_transfer: 'bt709',
        color_range: 'tv',
      });
    }
    const a = await decodeVideoFile(rgb.file, 'rgb.mp4', { maxFrames: 0 });
    const b = await decodeVideoFile(i420.file, 'i420.mp4', { maxFrames: 0 });
    for (const i of [0, 6, 11]) {
      const original = await video.frameAt(i);
      // Both close to the original colours (a BT.601/709 mix-up would shift the gradient by far more).
      expect(meanAbsDiff(await a.frameAt(i), original)).toBeLessThan(3);
      expect(meanAbsDiff(await b.frameAt(i), original)).toBeLessThan(3);
    }
  });

  it('gives identical bytes for identical input', async () => {
    const a = await save({ format: 'mp4', filename_prefix: 'same' });
    const b = await save({ format: 'mp4', filename_prefix: 'same' });
    expect((await readFile(a.file)).equals(await readFile(b.file))).toBe(true);
  });

  it('stops within a frame when the run is interrupted and leaves no file behind', async () => {
    const ctx = createTestCtx(host.services);
    let served = 0;
    const slow = new VideoValue({
      width: 64,
      height: 48,
      fps: 24,
      frameCount: 1000,
      byteSize: () => 0,
      async frameAt() {
        if (++served === 5) ctx.controller.abort();
        return new Uint8Array(64 * 48 * 3).fill(served % 255);
      },
    });
    await expect(runNode(SaveVideo, ctx, { video: slow }, { filename_prefix: 'aborted' })).rejects.toBeInstanceOf(AbortError);
    expect(served).toBeLessThanOrEqual(6);
    const left = await readdir(host.outputDir);
    expect(left.filter((f) => f.includes('aborted') || f.includes('partial'))).toEqual([]);
    expect(await readdir(host.tempDir)).toEqual([]);
  });
});
