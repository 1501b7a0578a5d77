import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, NodeRegistry, UserError, defineNode } from '@kinegraph/graph-core';
import { readEmbeddedWorkflow } from '../metadata/read-embedded-workflow.js';
import { createTestCtx, createTestHost, runNode, testWorkflow, type TestHost } from '../test-support/ctx.js';
import { gradientRgb } from '../test-support/images.js';
import { ImageValue } from '../values/image.js';
import { SaveImage } from './save-image.js';

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

const image = new ImageValue(48, 32, new Uint8Array(gradientRgb(48, 32)));

describe('SaveImage', () => {
  it('writes a PNG with the exact pixels, numbered, never overwriting', async () => {
    const ctx = createTestCtx(host.services);
    await runNode(SaveImage, ctx, { image }, { filename_prefix: 'shot' });
    await runNode(SaveImage, ctx, { image }, { filename_prefix: 'shot' });
    expect(ctx.uis.map((u) => u.filename)).toEqual(['shot_00001.png', 'shot_00002.png']);
    expect(ctx.uis[0]).toMatchObject({ kind: 'image', folder: 'output', mime: 'image/png' });
    const { data, info } = await sharp(path.join(host.outputDir, 'shot_00002.png')).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([48, 32, 3]);
    expect(data.equals(Buffer.from(image.data))).toBe(true);
  });

  it('embeds the workflow in a tEXt chunk that reads back (non-ASCII text included)', async () => {
    const ctx = createTestCtx(host.services);
    await runNode(SaveImage, ctx, { image }, { filename_prefix: 'meta' });
    const file = path.join(host.outputDir, ctx.uis[0].filename!);
    expect(await readEmbeddedWorkflow(file)).toEqual(testWorkflow);
    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from('tEXtkinegraph-workflow\0', 'latin1'))).toBe(true);
    // sharp still decodes the file (the chunk's CRC is right).
    expect((await sharp(bytes).metadata()).width).toBe(48);
  });

  it('refuses prefixes that would leave the output folder', async () => {
    const ctx = createTestCtx(host.services);
    for (const bad of ['../x', 'a/b', '.hidden', '']) {
      await expect(runNode(SaveImage, ctx, { image }, { filename_prefix: bad }), bad).rejects.toThrow(UserError);
    }
  });

  it('is written again on a cached rerun when its file was deleted', async () => {
    const Source = defineNode({
      type: 'TestImage',
      category: 'test',
      title: 'Test image',
      description: '',
      version: 1,
      inputs: {},
      outputs: { image: { type: 'IMAGE' } },
      params: {},
      cache: 'pure',
      execute: () => ({ image }),
    });
    const engine = new Engine({ registry: new NodeRegistry([Source, SaveImage]), services: host.services });
    const doc = {
      format: 'kinegraph.workflow',
      version: 1,
      nodes: {
        src: { type: 'TestImage' },
        save: { type: 'SaveImage', params: { filename_prefix: 'again' }, inputs: { image: ['src', 'image'] } },
      },
    };
    const first = await engine.run(doc);
    const file = first.ui.save![0]!.filename!;
    expect((await engine.run(doc)).cached).toContain('save');
    await rm(path.join(host.outputDir, file));
    const third = await engine.run(doc);
    expect(third.executed).toEqual(['save']);
    expect((await sharp(path.join(host.outputDir, third.ui.save![0]!.filename!)).metadata()).width).toBe(48);
  });
});
