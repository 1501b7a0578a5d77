import { describe, expect, it } from 'vitest';
import { createServices, UserError } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { VideoValue } from '../values/video.js';
import { UpscaleVideo, upscaledSize } from './upscale-video.js';

const ctx = () => createTestCtx(createServices([]));

describe('UpscaleVideo', () => {
  it('scales every frame by the factor, lazily, keeping fps and frame count', async () => {
    const src = movingSquareVideo(40, 24, 4, 12);
    let reads = 0;
    const counted = new VideoValue({ ...src.source, frameAt: (i) => (reads++, src.frameAt(i)) });
    const { video } = await runNode(UpscaleVideo, ctx(), { video: counted }, { factor: '2' });
    expect(reads).toBe(0);
    expect([video.width, video.height, video.fps, video.frameCount]).toEqual([80, 48, 12, 4]);
    const frame = await video.frameAt(3);
    expect(reads).toBe(1);
    expect(frame.length).toBe(80 * 48 * 3);
    // The white square sits at the right edge in the last frame: scaled, it still does.
    const at = (x: number, y: number) => frame[(y * 80 + x) * 3 + 2];
    expect(at(75, 24)).toBeGreaterThan(220);
    expect(at(4, 24)).toBeLessThan(100);
  });

  it('keeps sizes even and refuses results over 8K', async () => {
    expect(upscaledSize(11, 7, 1.5)).toEqual({ width: 16, height: 10 });
    expect(upscaledSize(1280, 720, 4)).toEqual({ width: 5120, height: 2880 });
    await expect(runNode(UpscaleVideo, ctx(), { video: movingSquareVideo(2000, 1200, 1) }, { factor: '4' })).rejects.toThrow(UserError);
  });
});
