import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath, LoadVideo } from '@kinegraph/nodes';
import { DiskCache } from '../../apps/runtime/src/server/cache/disk-cache.js';
import { videoFromFrames } from '../../packages/nodes/src/values/video.js';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../../packages/nodes/src/test-support/ctx.js';
import { removeDir, tempDir } from '../server/harness.js';

/**
 * Found by the hostile-files pass: a short clip read by LoadVideo (two 8192x8192 frames) reported as many bytes
 * as its frames, so the disk tier decoded it whole behind the run to store it: +1 GB of RSS, kept, for a
 * 300 KB file. A clip decoded from its file is not stored (the file is its own cache); frames in memory are.
 */
describe('the disk tier and a clip LoadVideo reads from its file', () => {
  let host: TestHost;
  let dir: string;
  beforeAll(async () => {
    host = await createTestHost();
    dir = await tempDir('kg-video-cache-');
    execFileSync(ffmpegPath(), [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=640x480:rate=2',
      '-frames:v',
      '2',
      '-pix_fmt',
      'yuv420p',
      path.join(host.inputDir, 'two.mp4'),
    ]);
  });
  afterAll(async () => {
    await host.cleanup();
    await removeDir(dir);
  });

  it('is not decoded to be stored; a clip whose frames are in memory is', async () => {
    const { video } = await runNode(LoadVideo, createTestCtx(host.services), {}, { video: 'two.mp4', max_frames: 0 });
    expect(video.frameCount).toBe(2);
    let decoded = 0;
    const frameAt = video.source.frameAt.bind(video.source);
    (video.source as { frameAt: typeof frameAt }).frameAt = (i: number) => (decoded++, frameAt(i));
    const cache = await DiskCache.open({ dir, maxBytes: 1e9 });
    await cache.set('file-clip', LoadVideo, { outputs: { video }, ui: [] });
    const held = videoFromFrames(64, 48, 12, [new Uint8Array(64 * 48 * 3), new Uint8Array(64 * 48 * 3).fill(9)]);
    await cache.set('held-clip', LoadVideo, { outputs: { video: held }, ui: [] });
    await cache.flush();
    expect(decoded).toBe(0);
    expect(cache.stats()).toMatchObject({ skipped: 1, writes: 1, errors: 0 });
    await cache.close();
  });
});
