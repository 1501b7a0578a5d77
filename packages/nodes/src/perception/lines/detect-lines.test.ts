import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../../test-support/ctx.js';
import { ImageValue } from '../../values/image.js';
import { MaskValue } from '../../values/mask.js';
import { hasPhotos, LANDSCAPES, loadPhoto, PORTRAITS } from '../detect-faces.photos.js';
import { DetectLines } from '../detect-lines.js';
import { LazyModel, packagedModelPath } from '../packaged-model.js';
import { decodeSegments } from './decode.js';
import { LinesValue, type Segment } from './lines-value.js';
import { MLSD_VARIANTS } from './mlsd-model.js';

const ctx = () => createTestCtx(createServices([]));
const detect = async (image: unknown, params: Record<string, unknown> = {}) => {
  const out = await runNode(DetectLines, ctx(), { image }, params);
  return { lines: out.lines as LinesValue, preview: out.preview as ImageValue, count: out.count as number };
};
const length = (s: Segment) => Math.hypot(s.x1 - s.x0, s.y1 - s.y0);
/** Angle from the picture's horizontal, 0..90 degrees. */
const tilt = (s: Segment) => {
  const a = (Math.abs(Math.atan2(s.y1 - s.y0, s.x1 - s.x0)) * 180) / Math.PI;
  return Math.min(a, 180 - a);
};

/** A synthetic facade: a light wall with a grid of dark windows on a mid-grey ground (straight edges everywhere). */
function facade(w: number, h: number): ImageValue {
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const wall = x > w * 0.15 && x < w * 0.85 && y > h * 0.1 && y < h * 0.8;
      const col = ((x - w * 0.15) / (w * 0.7)) * 5;
      const row = ((y - h * 0.1) / (h * 0.7)) * 4;
      const window = wall && col % 1 > 0.3 && col % 1 < 0.7 && row % 1 > 0.25 && row % 1 < 0.75;
      rgb.fill(window ? 40 : wall ? 215 : y >= h * 0.8 ? 110 : 150, (y * w + x) * 3, (y * w + x) * 3 + 3);
    }
  }
  return new ImageValue(w, h, rgb);
}

describe('decodeSegments (M-LSD maps)', () => {
  it('one segment per cell over the threshold, its ends at the cell plus the offsets, short ones dropped', () => {
    const m = 8;
    const scores = new Float32Array(m * m);
    const offsets = new Float32Array(m * m * 4);
    scores[3 * m + 4] = 0.6; // cell (4, 3): a vertical segment from (4, 0) to (4, 7)
    offsets.set([0, -3, 0, 4], (3 * m + 4) * 4);
    scores[5 * m + 1] = 0.05; // under the threshold
    scores[6 * m + 6] = 0.9; // too short
    offsets.set([0.5, 0, -0.5, 0], (6 * m + 6) * 4);
    const out = decodeSegments(scores, offsets, m, 0.1, 2);
    expect(Array.from(out)).toEqual([4 / m, 0, 4 / m, 7 / m, expect.closeTo(0.6, 6)]);
    expect(() => decodeSegments(scores, offsets.subarray(4), m, 0.1, 2)).toThrow(/do not fit a 8x8 map/);
  });
});

describe('DetectLines', () => {
  it('finds the straight edges of a synthetic facade: its verticals and horizontals, none slanted', async () => {
    const { lines, preview, count } = await detect(facade(1024, 576));
    expect(count).toBeGreaterThanOrEqual(10);
    const long = lines.segments.filter((s) => length(s) > 40);
    expect(long.filter((s) => tilt(s) > 88).length).toBeGreaterThanOrEqual(4);
    expect(long.filter((s) => tilt(s) < 2).length).toBeGreaterThanOrEqual(4);
    for (const s of long) expect(Math.min(tilt(s), 90 - tilt(s)), JSON.stringify(s)).toBeLessThan(3);
    // The wall's right edge (x = 870.4) is one; every window's left and right edges are (5 columns x 4 rows x 2).
    expect(long.some((s) => tilt(s) > 88 && Math.abs((s.x0 + s.x1) / 2 - 870.4) < 4)).toBe(true);
    const windowX = [0, 1, 2, 3, 4].flatMap((k) => [0.3, 0.7].map((f) => 1024 * (0.15 + ((k + f) * 0.7) / 5)));
    const onWindow = lines.segments.filter((s) => tilt(s) > 88 && windowX.some((x) => Math.abs((s.x0 + s.x1) / 2 - x) < 3));
    expect(onWindow.length).toBeGreaterThanOrEqual(36);
    // Clipped to the picture.
    for (const s of lines.segments) for (const v of [s.x0, s.x1]) expect(v >= 0 && v <= 1024).toBe(true);
    expect([preview.width, preview.height]).toEqual([1024, 576]);
    expect(lines.summary()).toMatch(/^LINES \d+ in 1024x576/);
  });

  it.skipIf(!hasPhotos('Path.jpg', PORTRAITS.basketball))(
    'on real photos: the trunks of a forest are upright segments; the door frame indoors is one',
    async () => {
      const forest = await detect(await loadPhoto('Path.jpg', 1280));
      const upright = forest.lines.segments.filter((s) => tilt(s) > 75 && length(s) > 0.06 * Math.hypot(1280, 800));
      expect(upright.length).toBeGreaterThanOrEqual(10);
      const indoor = await detect(await loadPhoto(PORTRAITS.basketball));
      // The door frame left of the wall, about x = 195..205 of 640, from the top of the picture down to y > 300.
      const frame = indoor.lines.segments.filter((s) => tilt(s) > 80 && length(s) > 150 && Math.abs((s.x0 + s.x1) / 2 - 200) < 20);
      expect(frame.length).toBeGreaterThanOrEqual(1);
    },
  );

  it.skipIf(!hasPhotos('summer_1am.jpg'))('on a lake at dawn: the horizon is a long near-horizontal segment', async () => {
    const lake = await detect(await loadPhoto('summer_1am.jpg', 1280));
    const horizon = lake.lines.segments.filter((s) => tilt(s) < 3 && length(s) > 100);
    expect(horizon.length).toBeGreaterThanOrEqual(1);
    expect(horizon.some((s) => s.y0 > 800 * 0.6 && s.y0 < 800 * 0.75)).toBe(true);
    expect(LANDSCAPES).toContain('summer_1am.jpg');
  });

  it('is deterministic; the preview draws the segments over the darkened picture', async () => {
    const image = facade(640, 360);
    const a = await detect(image);
    const b = await detect(image);
    expect(Buffer.from(a.lines.packed.buffer).equals(Buffer.from(b.lines.packed.buffer))).toBe(true);
    expect(Buffer.from(a.preview.data).equals(Buffer.from(b.preview.data))).toBe(true);
    const s = a.lines.segments.find((x) => length(x) > 60)!;
    const mx = Math.round((s.x0 + s.x1) / 2 - 0.5);
    const my = Math.round((s.y0 + s.y1) / 2 - 0.5);
    const px = Array.from(a.preview.data.subarray((my * 640 + mx) * 3, (my * 640 + mx) * 3 + 3));
    expect([
      [255, 150, 30],
      [40, 220, 255],
    ]).toContainEqual(px);
    expect(a.preview.data[0]).toBe(Math.round(image.data[0] * 0.45));
    // Round trip through JSON (what a disk cache would keep).
    const back = LinesValue.fromJSON(JSON.parse(JSON.stringify(a.lines)));
    expect(back.count).toBe(a.lines.count);
    expect(back.segment(0)).toEqual(a.lines.segment(0));
  });

  it('every model size runs; a higher threshold and min length keep fewer', async () => {
    const image = facade(640, 360);
    const base = await detect(image);
    for (const model of ['tiny_320', 'large_512', 'large_320']) expect((await detect(image, { model })).count, model).toBeGreaterThan(4);
    expect((await detect(image, { threshold: 0.6 })).count).toBeLessThan(base.count);
    expect((await detect(image, { min_length: 0.3 })).count).toBeLessThan(base.count);
    expect((await detect(image, { max_lines: 3 })).count).toBe(3);
  });

  it('finds nothing on a flat picture and on a tiny one', async () => {
    expect((await detect(new ImageValue(64, 48, new Uint8Array(64 * 48 * 3).fill(128)))).count).toBe(0);
    expect((await detect(new ImageValue(1, 1, new Uint8Array([200, 150, 120])))).count).toBe(0);
  });

  it('refuses what is not an IMAGE, an empty image and a huge one', async () => {
    await expect(detect(undefined)).rejects.toThrow(/not an IMAGE/);
    await expect(detect(MaskValue.filled(4, 4, 1))).rejects.toThrow(/not an IMAGE \(got MASK\)/);
    await expect(detect(new ImageValue(0, 0, new Uint8Array(0)))).rejects.toThrow(/empty \(0x0\)/);
    await expect(detect(new ImageValue(10_000, 6_500, new Uint8Array(10_000 * 6_500 * 3)))).rejects.toThrow(
      /10000x6500, over the 64 MP limit/,
    );
  });

  it('LINES refuses broken segment arrays', () => {
    expect(() => new LinesValue(10, 10, new Float32Array(4), 'x')).toThrow(/not whole segments/);
    expect(() => new LinesValue(10, 10, Float32Array.from([0, 0, NaN, 1, 1]), 'x')).toThrow(/not a number/);
    expect(() => new LinesValue(0, 10, new Float32Array(0), 'x')).toThrow(/positive integer size/);
  });
});

describe('M-LSD model files', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a missing or truncated model file gives an error naming the file; a good copy opens once', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-mlsd-'));
    const spec = MLSD_VARIANTS.tiny_512.spec;
    const missing = path.join(dir, 'missing.onnx');
    await expect(new LazyModel(spec, missing).get()).rejects.toThrow(new RegExp(`model file ${missing} can not be read`));
    const truncated = path.join(dir, 'truncated.onnx');
    await writeFile(truncated, (await readFile(packagedModelPath(spec))).subarray(0, 1000));
    await expect(new LazyModel(spec, truncated).get()).rejects.toThrow(
      new RegExp(
        `M-LSD tiny \\(512x512\\): model file ${truncated} is damaged or not the expected version \\(1000 bytes.*jp.keijiro.mlsd@1.0.0`,
      ),
    );
    const copy = path.join(dir, 'copy.onnx');
    await copyFile(packagedModelPath(spec), copy);
    const model = new LazyModel(spec, copy);
    const [a, b] = await Promise.all([model.get(), model.get()]);
    expect(a.session).toBe(b.session);
    await model.release();
  });
});
