import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../ffmpeg/probe.js';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { PreviewVideo, previewSize } from './preview-video.js';

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

describe('PreviewVideo', () => {
  it('sizes previews to the longest side, even', () => {
    expect(previewSize(1280, 720, 640)).toEqual({ width: 640, height: 360 });
    expect(previewSize(720, 1280, 640)).toEqual({ width: 360, height: 640 });
    expect(previewSize(100, 50, 640)).toEqual({ width: 100, height: 50 });
  });

  it('writes a small MP4 into the temp folder only', async () => {
    const ctx = createTestCtx(host.services);
    await runNode(PreviewVideo, ctx, { video: movingSquareVideo(320, 180, 6) }, { max_size: 160 });
    expect(ctx.uis[0]).toMatchObject({ kind: 'video', folder: 'temp', mime: 'video/mp4' });
    const info = await probe(path.join(host.tempDir, ctx.uis[0].filename!));
    expect(info.streams[0]).toMatchObject({ codec_name: 'h264', width: 160, height: 90 });
    expect(await readdir(host.outputDir)).toEqual([]);
  });
});
