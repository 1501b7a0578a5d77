import { copyFile, mkdir, mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../test-support/ctx.js';
import { ImageValue } from '../values/image.js';
import { MaskValue } from '../values/mask.js';
import { ModelCacheToken } from './converter/model-cache.js';
import { hasPhotos, LANDSCAPES, loadPhoto, photoPath } from './detect-faces.photos.js';
import { personModelJson, PERSON_MODELS } from './person-matte/person-models.js';
import { loadPersonModel } from './person-matte/person-session.js';
import { SegmentSubject } from './segment-subject.js';

let cacheDir: string;
let ctx: ReturnType<typeof createTestCtx>;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'kinegraph-matte-'));
  ctx = createTestCtx(createServices([[ModelCacheToken, { dir: cacheDir }]]));
});
afterAll(() => rm(cacheDir, { recursive: true, force: true }));

async function segment(image: ImageValue): Promise<MaskValue> {
  const { mask } = await runNode(SegmentSubject, ctx, { image });
  expect(mask).toBeInstanceOf(MaskValue);
  expect([mask.width, mask.height]).toEqual([image.width, image.height]);
  return mask;
}

/** Share of the box (fractions of the picture) the mask covers. */
function coverageIn(m: MaskValue, x0: number, y0: number, x1: number, y1: number): number {
  let s = 0,
    n = 0;
  for (let y = Math.round(y0 * m.height); y < Math.round(y1 * m.height); y++) {
    for (let x = Math.round(x0 * m.width); x < Math.round(x1 * m.width); x++, n++) s += m.data[y * m.width + x];
  }
  return s / n;
}

function centreOfMass(m: MaskValue): [number, number] {
  let s = 0,
    cx = 0,
    cy = 0;
  for (let y = 0; y < m.height; y++)
    for (let x = 0; x < m.width; x++) {
      const v = m.data[y * m.width + x];
      s += v;
      cx += v * x;
      cy += v * y;
    }
  return [cx / s / m.width, cy / s / m.height];
}

/** photo | photo with the outside dimmed and tinted blue | mask, 320 px high: for a person to look at. */
async function contactRow(image: ImageValue, mask: MaskValue): Promise<Buffer> {
  const h = 320,
    w = Math.round((image.width * h) / image.height);
  const overlay = new Uint8Array(image.data.length);
  for (let i = 0; i < mask.data.length; i++) {
    const m = mask.data[i],
      k = 0.3 + 0.7 * m;
    overlay[i * 3] = image.data[i * 3] * k;
    overlay[i * 3 + 1] = image.data[i * 3 + 1] * k;
    overlay[i * 3 + 2] = image.data[i * 3 + 2] * k + (1 - m) * 110;
  }
  const tile = (data: Uint8Array, channels: 1 | 3) =>
    sharp(data, { raw: { width: image.width, height: image.height, channels } })
      .resize(w, h)
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer();
  const raw = { width: w, height: h, channels: 3 as const };
  return sharp({ create: { width: 3 * w, height: h, channels: 3, background: '#000' } })
    .composite([
      { input: await tile(image.data, 3), raw, left: 0, top: 0 },
      { input: await tile(overlay, 3), raw, left: w, top: 0 },
      { input: await tile(mask.toBytes(), 1), raw, left: 2 * w, top: 0 },
    ])
    .png()
    .toBuffer();
}

const PEOPLE = ['people/grace_hopper.jpg', 'people/messi5.jpg', 'people/basketball1.png'];

describe('SegmentSubject on real photos', () => {
  it.skipIf(!hasPhotos(...PEOPLE))('covers the people: portrait, footballer, the man in the foreground indoors', async () => {
    const rows: Buffer[] = [];
    const masks: Record<string, MaskValue> = {};
    for (const name of PEOPLE) {
      const image = await loadPhoto(name);
      masks[name] = await segment(image);
      rows.push(await contactRow(image, masks[name]));
    }
    // A contact sheet for a person to look at (not an assertion).
    const metas = await Promise.all(rows.map((r) => sharp(r).metadata()));
    const width = Math.max(...metas.map((m) => m.width!));
    let top = 0;
    const layers = rows.map((input, i) => ({ input, left: 0, top: (top += i ? metas[i - 1].height! : 0) }));
    await sharp({ create: { width, height: metas.reduce((s, m) => s + m.height!, 0), channels: 3, background: '#000' } })
      .composite(layers)
      .png()
      .toFile(path.join(tmpdir(), 'kinegraph-segment-subject-people.png'));

    const grace = masks['people/grace_hopper.jpg'];
    expect(coverageIn(grace, 0.35, 0.2, 0.65, 0.5)).toBeGreaterThan(0.95); // face
    expect(coverageIn(grace, 0.1, 0.75, 0.9, 1)).toBeGreaterThan(0.9); // uniform, shoulders
    expect(coverageIn(grace, 0, 0, 0.12, 0.5)).toBeLessThan(0.05); // flag, top left
    expect(coverageIn(grace, 0.85, 0, 1, 0.4)).toBeLessThan(0.05); // sky, top right
    const [gx] = centreOfMass(grace);
    expect(Math.abs(gx - 0.5)).toBeLessThan(0.05);

    const messi = masks['people/messi5.jpg'];
    expect(coverageIn(messi, 0.34, 0.3, 0.48, 0.5)).toBeGreaterThan(0.9); // shirt
    expect(coverageIn(messi, 0, 0, 1, 0.15)).toBeLessThan(0.03); // the crowd above
    expect(messi.coverage()).toBeGreaterThan(0.1);
    expect(messi.coverage()).toBeLessThan(0.25);

    const indoors = masks['people/basketball1.png'];
    expect(coverageIn(indoors, 0.78, 0.35, 0.92, 0.9)).toBeGreaterThan(0.9); // the man in the foreground, right
    expect(coverageIn(indoors, 0.35, 0.1, 0.7, 0.9)).toBeLessThan(0.02); // the wall between them
    // The man further back at the left, full length: found by the second look at his face (people-at-faces.ts).
    expect(coverageIn(indoors, 0.1, 0.35, 0.2, 0.55)).toBeGreaterThan(0.8); // his shirt
    expect(coverageIn(indoors, 0.08, 0.75, 0.18, 0.9)).toBeGreaterThan(0.5); // his legs
  });

  it.skipIf(!hasPhotos('matte/plant.jpg', 'matte/plant_matte.png'))(
    'the plant with its reference matte: not a person, so IoU is low (measured, reported)',
    async () => {
      const image = await loadPhoto('matte/plant.jpg');
      const mask = await segment(image);
      const ref = await sharp(photoPath('matte/plant_matte.png')).greyscale().raw().toBuffer({ resolveWithObject: true });
      expect([ref.info.width, ref.info.height]).toEqual([image.width, image.height]);
      let inter = 0,
        union = 0;
      for (let i = 0; i < mask.data.length; i++) {
        const a = mask.data[i] >= 0.5,
          b = ref.data[i] >= 128;
        if (a && b) inter++;
        if (a || b) union++;
      }
      // A person model on a potted plant: 0.13 measured. model: 'salient' is measured against the same
      // reference in segment-salient.test.ts.
      expect(inter / union).toBeLessThan(0.5);
    },
  );

  it.skipIf(!hasPhotos(...LANDSCAPES))('gives an almost empty mask on landscapes', async () => {
    const found: Record<string, number> = {};
    for (const name of LANDSCAPES) found[name] = (await segment(await loadPhoto(name, 1280))).coverage();
    console.log('person coverage on landscapes', found);
    for (const c of Object.values(found)) expect(c).toBeLessThan(0.08);
  });
});

describe('SegmentSubject errors and model loading', () => {
  it('rejects a wrong input, an empty image and a huge one', async () => {
    await expect(runNode(SegmentSubject, ctx, { image: MaskValue.filled(4, 4, 1) })).rejects.toThrow(
      'The image input is not an IMAGE (got MASK)',
    );
    await expect(runNode(SegmentSubject, ctx, { image: new ImageValue(0, 0, new Uint8Array(0)) })).rejects.toThrow(
      'The image is empty (0x0)',
    );
    // An IMAGE claiming 10000x7000 (70 MP) without holding 210 MB: the size check comes before any pixel is read.
    const huge = Object.assign(Object.create(ImageValue.prototype) as ImageValue, { width: 10000, height: 7000, data: new Uint8Array(3) });
    await expect(runNode(SegmentSubject, ctx, { image: huge })).rejects.toThrow(/10000x7000, over the 64 MP limit/);
  });

  it('loads once per process and is deterministic', async () => {
    const opts = { cacheDir };
    const a = loadPersonModel(PERSON_MODELS.selfie, opts);
    const b = loadPersonModel(PERSON_MODELS.selfie, opts);
    expect(a).toBe(b);
    const image = new ImageValue(
      64,
      48,
      Uint8Array.from({ length: 64 * 48 * 3 }, (_, i) => (i * 37) % 256),
    );
    const m1 = await segment(image);
    const m2 = await segment(image);
    expect(Buffer.from(m1.data.buffer).equals(Buffer.from(m2.data.buffer))).toBe(true);
  });

  it('a missing or damaged model file is an error naming the file; a damaged cached ONNX is converted again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-matte-broken-'));
    try {
      const src = personModelJson(PERSON_MODELS.selfie);
      await copyFile(src, path.join(dir, 'selfie.json'));
      const json = path.join(dir, 'selfie.json');
      await expect(loadPersonModel(PERSON_MODELS.selfie, { cacheDir: dir, modelJson: json })).rejects.toThrow(
        /Person matte model "selfie".*weight file .*selfie\.bin .* is missing/,
      );
      await copyFile(src.replace(/json$/, 'bin'), path.join(dir, 'selfie.bin'));
      await truncate(path.join(dir, 'selfie.bin'), 5000);
      await expect(loadPersonModel(PERSON_MODELS.selfie, { cacheDir: dir, modelJson: json })).rejects.toThrow(/selfie\.json is truncated/);
      // Fixed: the failed load was forgotten, the next one works.
      await copyFile(src.replace(/json$/, 'bin'), path.join(dir, 'selfie.bin'));
      const cache = path.join(dir, 'cache');
      const loaded = await loadPersonModel(PERSON_MODELS.selfie, { cacheDir: cache, modelJson: json });
      // Damage the cached ONNX: a new process (here: another cache key) converts it again.
      await truncate(loaded.file, 100);
      await mkdir(path.join(dir, 'again'), { recursive: true });
      await copyFile(path.join(dir, 'selfie.json'), path.join(dir, 'again', 'selfie.json'));
      await copyFile(path.join(dir, 'selfie.bin'), path.join(dir, 'again', 'selfie.bin'));
      const again = await loadPersonModel(PERSON_MODELS.selfie, { cacheDir: cache, modelJson: path.join(dir, 'again', 'selfie.json') });
      expect(again.file).toBe(loaded.file);
      expect(again.session.outputNames).toEqual(['activation_10:0']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
