import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { defineNode, p, type NodeDefinition } from '@kinegraph/graph-core';

let previewPng: Promise<Uint8Array> | undefined;
/** A real (tiny) PNG the test node sends as its preview picture. */
export function testPreviewPng(): Promise<Uint8Array> {
  previewPng ??= sharp({ create: { width: 16, height: 8, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer()
    .then((b) => new Uint8Array(b));
  return previewPng;
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
  },
  isOutput: true,
  cache: 'seeded',
  async execute(ctx, _inputs, params) {
    const png = params.preview ? await testPreviewPng() : undefined;
    for (let i = 1; i <= params.steps; i++) {
      if (params.delay_ms > 0) await sleep(params.delay_ms, undefined, { signal: ctx.signal });
      ctx.progress(i, params.steps, png ? { mime: 'image/png', data: png, width: 16, height: 8 } : undefined);
    }
    ctx.ui({ kind: 'text', text: `seed ${params.seed}` });
    return { value: params.seed + params.steps };
  },
});

export const testNodes: NodeDefinition<any>[] = [TestSteps];
