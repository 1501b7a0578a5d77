import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { defineNode, p, type NodeDefinition } from '@kinegraph/graph-core';

const previews = new Map<number, Promise<Uint8Array>>();
/** A real PNG the test node sends as its preview picture: `size` px wide, half as high, noise (so it stays big). */
export function testPreviewPng(size = 16): Promise<Uint8Array> {
  let png = previews.get(size);
  if (!png) {
    png = sharp({
      create: { width: size, height: size / 2, channels: 3, background: '#3366cc', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
    })
      .png({ compressionLevel: 1 })
      .toBuffer()
      .then((b) => new Uint8Array(b));
    previews.set(size, png);
  }
  return png;
}

/**
 * A step loop like a sampler's: progress and a preview picture every step, interruptible between steps.
 * Seeded, so the same seed is a cache hit and another seed runs again.
 */
export const TestSteps = defineNode({
  type: 'TestSteps',
  category: 'test',
  title: 'Test Steps',
  description: 'Counts steps with progress and previews (server tests).',
  version: 1,
  inputs: {},
  outputs: { value: { type: 'INT' } },
  params: {
    steps: p.int({ default: 5, min: 1, max: 1_000_000 }),
    delay_ms: p.int({ default: 5, min: 0, max: 60_000 }),
    seed: p.seed(),
    preview: p.bool({ default: true }),
    preview_size: p.int({ default: 16, min: 2, max: 2048, step: 2 }),
  },
  isOutput: true,
  cache: 'seeded',
  async execute(ctx, _inputs, params) {
    const png = params.preview ? await testPreviewPng(params.preview_size) : undefined;
    const size = { width: params.preview_size, height: params.preview_size / 2 };
    for (let i = 1; i <= params.steps; i++) {
      if (params.delay_ms > 0) await sleep(params.delay_ms, undefined, { signal: ctx.signal });
      ctx.progress(i, params.steps, png ? { mime: 'image/png', data: png, ...size } : undefined);
    }
    ctx.ui({ kind: 'text', text: `seed ${params.seed}` });
    return { value: params.seed + params.steps };
  },
});

export const testNodes: NodeDefinition<any>[] = [TestSteps];
