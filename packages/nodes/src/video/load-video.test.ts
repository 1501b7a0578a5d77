import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, UserError } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { LoadVideo } from './load-video.js';
import { SaveVideo } from './save-video.js';

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
  const ctx = createTestCtx(host.services);
  await runNode(SaveVideo, ctx, { video: movingSquareVideo(64, 48, 10, 25) }, { format: 'mp4', quality: 95, filename_prefix: 'src' });
  await copyFile(path.join(host.outputDir, ctx.uis[0].filename!), path.join(host.inputDir, 'clip.mp4'));
  await writeFile(path.join(host.inputDir, 'junk.mp4'), 'no video here\n'.repeat(50));
});
afterAll(() => host.cleanup());

describe('LoadVideo', () => {
  it('decodes every frame with size and frame rate', async () => {
    const ctx = createTestCtx(host.services);
    const out = await runNode(LoadVideo, ctx, {}, { video: 'clip.mp4' });
    expect([out.video.width, out.video.height, out.frames, out.fps]).toEqual([64, 48, 10, 25]);
    // The white square moved from the left edge to the right edge.
    const first = await out.video.frameAt(0);
    const last = await out.video.frameAt(9);
    const blue = (f: Uint8Array, x: number) => f[(24 * 64 + x) * 3 + 2];
    expect(blue(first, 4)).toBeGreaterThan(200);
    expect(blue(last, 4)).toBeLessThan(120);
    expect(blue(last, 60)).toBeGreaterThan(200);
    expect(ctx.progressLog.at(-1)?.value).toBe(10);
  });

  it('stops at max_frames', async () => {
    const out = await runNode(LoadVideo, createTestCtx(host.services), {}, { video: 'clip.mp4', max_frames: 4 });
    expect(out.frames).toBe(4);
  });

  it('stops decoding when the run is interrupted', async () => {
    const ctx = createTestCtx(host.services);
    const progress = ctx.progress.bind(ctx);
    ctx.progress = (value, max) => {
      if (value === 3) ctx.controller.abort();
      progress(value, max);
    };
    await expect(runNode(LoadVideo, ctx, {}, { video: 'clip.mp4' })).rejects.toBeInstanceOf(AbortError);
  });

  it('warns when a file cut short decodes to fewer frames than it declares', async () => {
    const ctx = createTestCtx(host.services);
    await runNode(SaveVideo, ctx, { video: movingSquareVideo(64, 48, 48, 24) }, { format: 'mp4', quality: 95, filename_prefix: 'long' });
    const whole = await readFile(path.join(host.outputDir, ctx.uis[0].filename!));
    await writeFile(path.join(host.inputDir, 'cut.mp4'), whole.subarray(0, Math.floor(whole.length * 0.8)));
    await writeFile(path.join(host.inputDir, 'stub.mp4'), whole.subarray(0, Math.floor(whole.length * 0.5)));
    const load = createTestCtx(host.services);
    const out = await runNode(LoadVideo, load, {}, { video: 'cut.mp4' });
    expect(out.frames).toBeGreaterThan(0);
    expect(out.frames).toBeLessThan(48);
    expect(load.warnings).toEqual([
      {
        field: 'video',
        message: expect.stringMatching(/should hold 48 frames but only \d+ could be decoded: the file looks truncated or damaged/),
      },
    ]);
    expect(load.warnings[0].message).not.toContain(host.inputDir);
    // Cut before its first whole frame: an error that says why, not ffmpeg's "Error marking filters as finished" alone.
    await expect(runNode(LoadVideo, createTestCtx(host.services), {}, { video: 'stub.mp4' })).rejects.toThrow(
      /could not be decoded, the file looks truncated or damaged/,
    );
    // A whole file gives no warning.
    const fine = createTestCtx(host.services);
    await runNode(LoadVideo, fine, {}, { video: 'clip.mp4' });
    expect(fine.warnings).toEqual([]);
  });

  it('explains what is wrong with a file that is not a video', async () => {
    await expect(runNode(LoadVideo, createTestCtx(host.services), {}, { video: 'junk.mp4' })).rejects.toThrow(UserError);
    await expect(runNode(LoadVideo, createTestCtx(host.services), {}, { video: 'junk.mp4' })).rejects.toThrow(
      /"junk\.mp4" is not a readable video file: its bytes are text/,
    );
    await expect(runNode(LoadVideo, createTestCtx(host.services), {}, { video: 'none.mp4' })).rejects.toThrow(/not found/);
  });
});
