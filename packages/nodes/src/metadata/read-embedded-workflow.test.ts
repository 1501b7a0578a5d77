import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCtx, createTestHost, runNode, testWorkflow, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { SaveVideo } from '../video/save-video.js';
import { addGifComment, readGifComment } from './gif-comment.js';
import { addPngText, readPngText } from './png-text.js';
import { readEmbeddedWorkflow } from './read-embedded-workflow.js';

let host: TestHost;
const file = (name: string) => path.join(host.root, name);
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

describe('readEmbeddedWorkflow', () => {
  it('reads a GIF comment spread over many 255-byte sub-blocks', async () => {
    const long = { ...testWorkflow, meta: { description: 'x'.repeat(5000) } };
    const ctx = createTestCtx(host.services, { workflow: long });
    await runNode(SaveVideo, ctx, { video: movingSquareVideo(16, 16, 3) }, { format: 'gif', filename_prefix: 'long' });
    expect(await readEmbeddedWorkflow(path.join(host.outputDir, ctx.uis[0].filename!))).toEqual(long);
  });

  it('gives undefined for images and videos without a workflow', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await writeFile(file('plain.png'), png);
    expect(await readEmbeddedWorkflow(file('plain.png'))).toBeUndefined();
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    await writeFile(file('plain.gif'), gif);
    expect(await readEmbeddedWorkflow(file('plain.gif'))).toBeUndefined();
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    await writeFile(file('plain.jpg'), jpeg);
    expect(await readEmbeddedWorkflow(file('plain.jpg'))).toBeUndefined();
  });

  it('rejects a file no decoder reads', async () => {
    await writeFile(file('noise.bin'), Buffer.from('definitely not media'));
    // Refused from its bytes, before ffprobe ever opens it.
    await expect(readEmbeddedWorkflow(file('noise.bin'))).rejects.toThrow(/noise\.bin is not a sound or video file: its bytes are text/);
  });
});

describe('PNG text and GIF comment blocks', () => {
  it('round-trip and keep the image decodable', async () => {
    const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    const tagged = addPngText(addPngText(png, 'a', 'one'), 'b', '{"x":1}');
    expect(Object.fromEntries(readPngText(tagged))).toEqual({ a: 'one', b: '{"x":1}' });
    expect((await sharp(tagged).raw().toBuffer()).subarray(0, 3)).toEqual(Buffer.from([255, 0, 0]));
    const gif = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#f00' } })
      .gif()
      .toBuffer();
    const text = 'y'.repeat(1000);
    const commented = addGifComment(gif, text);
    expect(readGifComment(commented)).toBe(text);
    expect((await sharp(commented).metadata()).width).toBe(3);
  });
});
