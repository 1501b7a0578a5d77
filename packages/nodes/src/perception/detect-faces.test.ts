import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../test-support/ctx.js';
import { FacesValue } from '../values/faces.js';
import { ImageValue } from '../values/image.js';
import { MaskValue } from '../values/mask.js';
import { DetectFaces } from './detect-faces.js';
import { hasPhotos, LANDSCAPES, loadPhoto, PORTRAITS } from './detect-faces.photos.js';
import { SHORT_RANGE } from './faces/blazeface-model.js';
import { LazyModel, packagedModelPath } from './packaged-model.js';

const ctx = () => createTestCtx(createServices([]));
const detect = (image: unknown, params: Record<string, unknown> = {}) => runNode(DetectFaces, ctx(), { image }, params);
const inside = (p: [number, number], b: FacesValue['faces'][number]['box']) =>
  p[0] >= b.x && p[0] <= b.x + b.width && p[1] >= b.y && p[1] <= b.y + b.height;

describe('DetectFaces on real photos', () => {
  it.skipIf(!hasPhotos(PORTRAITS.grace))(
    'finds the one face of a head-and-shoulders portrait, landmarks inside the box, eyes level',
    async () => {
      const image = await loadPhoto(PORTRAITS.grace);
      const out = await detect(image);
      const faces = out.faces as FacesValue;
      expect(out.count).toBe(1);
      const [f] = faces.faces;
      expect(f.score).toBeGreaterThan(0.85);
      // The face sits in the upper middle of the 512x600 portrait and spans about a third of its width.
      expect(f.box.width / image.width).toBeGreaterThan(0.25);
      expect(f.box.width / image.width).toBeLessThan(0.55);
      expect(f.box.x + f.box.width / 2).toBeGreaterThan(image.width * 0.35);
      expect(f.box.x + f.box.width / 2).toBeLessThan(image.width * 0.65);
      expect(f.box.y + f.box.height).toBeLessThan(image.height * 0.7);
      for (const p of [f.landmarks.rightEye, f.landmarks.leftEye, f.landmarks.noseTip, f.landmarks.mouth])
        expect(inside(p, f.box)).toBe(true);
      // MediaPipe's names are the person's: the right eye shows on the image's left; eyes above the nose above the mouth.
      expect(f.landmarks.rightEye[0]).toBeLessThan(f.landmarks.leftEye[0]);
      expect(Math.abs(f.landmarks.rightEye[1] - f.landmarks.leftEye[1])).toBeLessThan(f.box.height * 0.1);
      expect(f.landmarks.noseTip[1]).toBeGreaterThan(f.landmarks.rightEye[1]);
      expect(f.landmarks.mouth[1]).toBeGreaterThan(f.landmarks.noseTip[1]);
      // The mask covers the face and little else.
      const mask = out.mask as MaskValue;
      expect([mask.width, mask.height]).toEqual([image.width, image.height]);
      const nose = f.landmarks.noseTip.map(Math.round);
      expect(mask.data[nose[1] * mask.width + nose[0]]).toBe(1);
      expect(mask.data[5 * mask.width + 5]).toBe(0);
      expect(mask.coverage()).toBeGreaterThan(0.08);
      expect(mask.coverage()).toBeLessThan(0.3);
    },
  );

  it.skipIf(!hasPhotos(PORTRAITS.messi, PORTRAITS.basketball))(
    'finds smaller faces: the footballer (full range) and a person indoors',
    async () => {
      const messi = (await detect(await loadPhoto(PORTRAITS.messi))).faces as FacesValue;
      expect(messi.count).toBe(1);
      const f = messi.faces[0];
      // His head is at about (240, 115) in the 548x342 picture.
      expect(Math.abs(f.box.x + f.box.width / 2 - 240)).toBeLessThan(25);
      expect(Math.abs(f.box.y + f.box.height / 2 - 115)).toBeLessThan(25);
      expect((await detect(await loadPhoto(PORTRAITS.messi), { model: 'short_range' })).count).toBe(0); // too small for short range
      const indoor = (await detect(await loadPhoto(PORTRAITS.basketball))).faces as FacesValue;
      expect(indoor.count).toBeGreaterThanOrEqual(1);
      expect(indoor.faces[0].box.x).toBeLessThan(150); // the man on the left, facing the camera
    },
  );

  it.skipIf(!hasPhotos(...LANDSCAPES))('finds no face on any landscape at the default threshold', async () => {
    for (const name of LANDSCAPES) {
      const out = await detect(await loadPhoto(name));
      expect(out.count, name).toBe(0);
      expect((out.mask as MaskValue).coverage(), name).toBe(0);
    }
  });

  it.skipIf(!hasPhotos(PORTRAITS.grace))('is deterministic and the same at any model choice that sees the face', async () => {
    const image = await loadPhoto(PORTRAITS.grace);
    const a = (await detect(image)).faces as FacesValue;
    const b = (await detect(image)).faces as FacesValue;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    for (const model of ['short_range', 'full_range']) expect((await detect(image, { model })).count, model).toBe(1);
  });
});

describe('DetectFaces errors', () => {
  it('refuses what is not an IMAGE, an empty image and a huge one', async () => {
    await expect(detect(undefined)).rejects.toThrow(/not an IMAGE/);
    await expect(detect(MaskValue.filled(4, 4, 1))).rejects.toThrow(/not an IMAGE \(got MASK\)/);
    await expect(detect(new ImageValue(0, 0, new Uint8Array(0)))).rejects.toThrow(/empty \(0x0\)/);
    await expect(detect(new ImageValue(10_000, 6_500, new Uint8Array(10_000 * 6_500 * 3)))).rejects.toThrow(
      /10000x6500, over the 64 MP limit/,
    );
  });

  it('finds nothing on a flat picture and on a tiny one', async () => {
    const grey = new ImageValue(64, 48, new Uint8Array(64 * 48 * 3).fill(128));
    expect((await detect(grey)).count).toBe(0);
    expect((await detect(new ImageValue(1, 1, new Uint8Array([200, 150, 120])))).count).toBe(0);
  });
});

describe('model files', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a missing, truncated or corrupt model file gives an error naming the file', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-blazeface-'));
    const good = packagedModelPath(SHORT_RANGE.spec);
    const missing = path.join(dir, 'missing.onnx');
    await expect(new LazyModel(SHORT_RANGE.spec, missing).get()).rejects.toThrow(new RegExp(`model file ${missing} can not be read`));

    const truncated = path.join(dir, 'truncated.onnx');
    const bytes = await readFile(good);
    await writeFile(truncated, bytes.subarray(0, 1000));
    await expect(new LazyModel(SHORT_RANGE.spec, truncated).get()).rejects.toThrow(
      new RegExp(`model file ${truncated} is damaged or not the expected version \\(1000 bytes`),
    );

    // Even a file that passes the checksum (here: a spec made for it) is refused by ORT with the file named.
    const sha256 = createHash('sha256').update(bytes.subarray(0, 1000)).digest('hex');
    await expect(new LazyModel({ ...SHORT_RANGE.spec, sha256 }, truncated).get()).rejects.toThrow(
      new RegExp(`model file ${truncated} could not be opened`),
    );

    // A good copy opens, once: a second get() shares the same session.
    const copy = path.join(dir, 'copy.onnx');
    await copyFile(good, copy);
    const model = new LazyModel(SHORT_RANGE.spec, copy);
    const [a, b] = await Promise.all([model.get(), model.get()]);
    expect(a.session).toBe(b.session);
    expect(['cpu', 'webgpu']).toContain(a.provider);
    await model.release();
  });
});
