import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiles } from '../../packages/nodes/src/onnx/vae.js';
import { writeEdmTestModel, writeFlowTestModel } from '../../packages/nodes/src/onnx/testing/test-models.js';
import { buildModels, ctx, encodeFor, request, type ModelsFixture } from './helpers.js';

let fx: ModelsFixture;
beforeAll(async () => {
  fx = await buildModels();
  // Twins of the tiny models that decode in small overlapping tiles and short overlapping time chunks.
  for (const [write, name] of [
    [writeEdmTestModel, 'tiled-edm'],
    [writeFlowTestModel, 'tiled-flow'],
  ] as const) {
    const built = await write(fx.root, name);
    const file = path.join(built.dir, 'model.json');
    const m = JSON.parse(await readFile(file, 'utf8'));
    Object.assign(m.components.vaeDecoder, { tileLatent: 3, tileOverlap: 1, chunkFrames: 2, overlapFrames: 1 });
    await writeFile(file, JSON.stringify(m));
  }
});
afterAll(() => fx.cleanup());

describe('tiles', () => {
  it('cover the extent with the given overlap, the last tile flush with the end', () => {
    expect(tiles(6, 8, 2)).toEqual([[0, 6]]);
    expect(tiles(10, 4, 1)).toEqual([
      [0, 4],
      [3, 4],
      [6, 4],
    ]);
    expect(tiles(11, 4, 1)).toEqual([
      [0, 4],
      [3, 4],
      [6, 4],
      [7, 4],
    ]);
  });
});

describe.each([
  ['tiny-edm', 'tiled-edm', 6],
  ['tiny-flow', 'tiled-flow', 9],
] as const)('%s decoded in tiles and time chunks', (whole, tiled, frames) => {
  it('gives the same frames as one decode (the test decoder has no cross-pixel mixing)', async () => {
    const a = (await fx.provider.load(`video/${whole}`))!;
    const b = (await fx.provider.load(`video/${tiled}`))!;
    const { image, positive } = await encodeFor(a);
    const latent = await a.model.denoise(ctx(), request({ image, positive }, { frames }));
    const one = await a.vae.decode(ctx(), latent);
    const split = await b.vae.decode(ctx(), latent);
    expect(split.frameCount).toBe(one.frameCount);
    for (let f = 0; f < one.frameCount; f++) {
      const x = await one.frameAt(f);
      const y = await split.frameAt(f);
      let worst = 0;
      for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k] - y[k]));
      expect(worst, `frame ${f}`).toBeLessThanOrEqual(1);
    }
    // Random access works too (the decoder keeps only the last two chunks).
    expect(Buffer.from(await split.frameAt(0)).equals(Buffer.from(await one.frameAt(0)))).toBe(true);
  });
});
