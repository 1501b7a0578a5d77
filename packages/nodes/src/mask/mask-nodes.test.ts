import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeDefinition } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { ImageValue } from '../values/image.js';
import { MaskValue } from '../values/mask.js';
import { CombineMasks } from './combine-masks.js';
import { FeatherMask } from './feather-mask.js';
import { GrowMask } from './grow-mask.js';
import { ImageToMask } from './image-to-mask.js';
import { InvertMask } from './invert-mask.js';
import { MaskToImage } from './mask-to-image.js';
import { PreviewMask } from './preview-mask.js';
import { ThresholdMask } from './threshold-mask.js';

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());
const run = (def: NodeDefinition<any>, inputs: Record<string, unknown>, params: Record<string, unknown> = {}) =>
  runNode(def, createTestCtx(host.services), inputs, params);

/** A disc of radius r at (cx, cy): 1 inside, 0 outside (hard). */
function disc(w: number, h: number, cx: number, cy: number, r: number): MaskValue {
  const d = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[y * w + x] = Math.hypot(x - cx, y - cy) <= r ? 1 : 0;
  return new MaskValue(w, h, d);
}
const area = (m: MaskValue) => m.data.reduce((s, v) => s + v, 0);
/** An IMAGE/MASK claiming 70 MP without the memory: size checks come before any pixel is read. */
const hugeMask = () =>
  Object.assign(Object.create(MaskValue.prototype) as MaskValue, { width: 10000, height: 7000, data: new Float32Array(1) });
const hugeImage = () =>
  Object.assign(Object.create(ImageValue.prototype) as ImageValue, { width: 10000, height: 7000, data: new Uint8Array(3) });

describe('mask nodes', () => {
  it('InvertMask: 1 − v', async () => {
    const { mask } = await run(InvertMask, { mask: MaskValue.fromValues(2, 1, [0.25, 1]) });
    expect(Array.from(mask.data)).toEqual([0.75, 0]);
  });

  it('GrowMask grows and shrinks a disc by true distance (round, not square)', async () => {
    const m = disc(101, 101, 50, 50, 20);
    const { mask: grown } = await run(GrowMask, { mask: m }, { pixels: 10 });
    const { mask: shrunk } = await run(GrowMask, { mask: m }, { pixels: -10 });
    // The digital disc's own radius (from its area), then discs 10 px larger and smaller (within 0.5 px).
    const r0 = Math.sqrt(area(m) / Math.PI);
    expect(Math.abs(Math.sqrt(area(grown) / Math.PI) - (r0 + 10))).toBeLessThan(0.5);
    expect(Math.abs(Math.sqrt(area(shrunk) / Math.PI) - (r0 - 10))).toBeLessThan(0.5);
    // Round: along the diagonal the grown edge is as far out as along the axis.
    expect(grown.data[50 * 101 + 80]).toBeGreaterThan(0.5);
    expect(grown.data[(50 + 21) * 101 + 50 + 21]).toBeGreaterThan(0.5); // 29.7 px out on the diagonal
    expect(grown.data[(50 + 23) * 101 + 50 + 23]).toBe(0); // 32.5 px out
    // Growing never removes, shrinking never adds.
    for (let i = 0; i < m.data.length; i++) {
      expect(grown.data[i]).toBeGreaterThanOrEqual(m.data[i]);
      expect(shrunk.data[i]).toBeLessThanOrEqual(m.data[i]);
    }
    const { mask: same } = await run(GrowMask, { mask: m }, { pixels: 0 });
    expect(same).toBe(m);
  });

  it('FeatherMask softens a hard edge symmetrically and keeps the total', async () => {
    const d = new Float32Array(200 * 10);
    for (let y = 0; y < 10; y++) for (let x = 100; x < 200; x++) d[y * 200 + x] = 1;
    const { mask } = await run(FeatherMask, { mask: new MaskValue(200, 10, d) }, { pixels: 10 });
    const row = (x: number) => mask.data[5 * 200 + x];
    expect(row(100) + row(99)).toBeCloseTo(1, 2); // symmetric around the edge
    expect(row(90)).toBeGreaterThan(0.01);
    expect(row(90)).toBeLessThan(0.3);
    expect(row(40)).toBe(0);
    expect(row(160)).toBe(1);
    expect(area(mask)).toBeCloseTo(1000, 0);
  });

  it('CombineMasks: add, subtract, multiply, max, min, clipped to [0, 1]', async () => {
    const a = MaskValue.fromValues(3, 1, [0.2, 0.6, 1]);
    const b = MaskValue.fromValues(3, 1, [0.5, 0.6, 0.5]);
    const expected: Record<string, number[]> = {
      add: [0.7, 1, 1],
      subtract: [0, 0, 0.5],
      multiply: [0.1, 0.36, 0.5],
      max: [0.5, 0.6, 1],
      min: [0.2, 0.6, 0.5],
    };
    for (const [operation, want] of Object.entries(expected)) {
      const { mask } = await run(CombineMasks, { a, b }, { operation });
      expect(Array.from(mask.data as Float32Array, (v) => Number(v.toFixed(5)))).toEqual(want);
    }
    await expect(run(CombineMasks, { a, b: MaskValue.filled(2, 2, 1) })).rejects.toThrow(
      'The masks differ in size (3x1 and 2x2); resize one first',
    );
  });

  it('ThresholdMask: 1 above the value, 0 at or below', async () => {
    const { mask } = await run(ThresholdMask, { mask: MaskValue.fromValues(3, 1, [0.4, 0.5, 0.6]) }, { value: 0.5 });
    expect(Array.from(mask.data)).toEqual([0, 0, 1]);
  });

  it('ImageToMask takes a channel or the luminance; MaskToImage gives it back as grey', async () => {
    const image = new ImageValue(2, 1, Uint8Array.from([255, 0, 51, 0, 255, 0]));
    expect(Array.from((await run(ImageToMask, { image }, { channel: 'red' })).mask.data)).toEqual([1, 0]);
    expect(
      Array.from((await run(ImageToMask, { image }, { channel: 'blue' })).mask.data as Float32Array, (v) => Number(v.toFixed(3))),
    ).toEqual([0.2, 0]);
    const lum = (await run(ImageToMask, { image }, { channel: 'luminance' })).mask;
    expect(lum.data[1]).toBeCloseTo(0.7152, 4);
    const { image: grey } = await run(MaskToImage, { mask: lum });
    expect(grey).toBeInstanceOf(ImageValue);
    expect(Array.from(grey.data.slice(3))).toEqual([182, 182, 182]);
  });

  it('PreviewMask writes a grey PNG of the mask into the temp folder', async () => {
    const ctx = createTestCtx(host.services);
    const mask = disc(300, 200, 150, 100, 50);
    await runNode(PreviewMask, ctx, { mask }, { max_size: 150 });
    expect(ctx.uis).toHaveLength(1);
    const ui = ctx.uis[0];
    expect(ui).toMatchObject({ kind: 'image', folder: 'temp', mime: 'image/png', data: { width: 150, height: 100 } });
    const png = await readFile(path.join(host.tempDir, ui.filename!));
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([150, 100, 1]);
    const { data } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(data[50 * 150 + 75]).toBe(255); // centre of the disc
    expect(data[0]).toBe(0);
  });

  const MASK_NODES: Array<[NodeDefinition<any>, string[]]> = [
    [InvertMask, ['mask']],
    [GrowMask, ['mask']],
    [FeatherMask, ['mask']],
    [ThresholdMask, ['mask']],
    [MaskToImage, ['mask']],
    [PreviewMask, ['mask']],
    [CombineMasks, ['a', 'b']],
  ];
  it.each(MASK_NODES.map(([def, fields]) => ({ type: def.type, def, fields })))(
    '$type rejects a wrong input, an empty mask and a huge one',
    async ({ def, fields }) => {
      const good = Object.fromEntries(fields.map((f) => [f, MaskValue.filled(4, 4, 1)]));
      const field = fields[0];
      await expect(run(def, { ...good, [field]: new ImageValue(4, 4, new Uint8Array(48)) })).rejects.toThrow(
        `The ${field} input is not a MASK (got IMAGE)`,
      );
      await expect(run(def, { ...good, [field]: undefined })).rejects.toThrow(`The ${field} input is not a MASK`);
      const empty = Object.assign(Object.create(MaskValue.prototype) as MaskValue, { width: 0, height: 0, data: new Float32Array(0) });
      await expect(run(def, { ...good, [field]: empty })).rejects.toThrow(`The ${field} is empty (0x0)`);
      await expect(run(def, { ...good, [field]: hugeMask() })).rejects.toThrow(`The ${field} is 10000x7000, over the 64 MP limit`);
    },
  );

  it('ImageToMask rejects a wrong input, an empty image and a huge one', async () => {
    await expect(run(ImageToMask, { image: MaskValue.filled(2, 2, 0) })).rejects.toThrow('The image input is not an IMAGE (got MASK)');
    await expect(run(ImageToMask, { image: new ImageValue(0, 0, new Uint8Array(0)) })).rejects.toThrow('The image is empty (0x0)');
    await expect(run(ImageToMask, { image: hugeImage() })).rejects.toThrow(/10000x7000, over the 64 MP limit/);
  });

  it('MASK refuses a wrong size and clamps values', () => {
    expect(() => new MaskValue(0, 3, new Float32Array(0))).toThrow('MASK needs a positive integer size, got 0x3');
    expect(() => new MaskValue(2, 2, new Float32Array(3))).toThrow('MASK 2x2 needs 4 values, got 3');
    expect(Array.from(MaskValue.fromValues(3, 1, [-1, NaN, 7]).data)).toEqual([0, 0, 1]);
    expect(MaskValue.filled(10, 10, 0.5).summary()).toBe('MASK 10x10, 50.0% covered');
  });
});
