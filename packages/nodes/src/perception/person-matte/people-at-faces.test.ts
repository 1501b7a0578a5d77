import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Face } from '../../values/faces.js';
import { ImageValue } from '../../values/image.js';
import { hasPhotos, PORTRAITS, photoPath } from '../detect-faces.photos.js';
import { detectFaces } from '../faces/detect.js';
import { addPeopleAtFaces } from './people-at-faces.js';
import { personProbabilities, refineMatte } from './person-matte.js';
import { PERSON_MODELS } from './person-models.js';
import { loadPersonModel, type LoadedPersonModel } from './person-session.js';

let cacheDir: string;
let model: LoadedPersonModel;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'kinegraph-people-at-faces-'));
  model = await loadPersonModel(PERSON_MODELS.selfie, { cacheDir });
});
afterAll(() => rm(cacheDir, { recursive: true, force: true }));

/** A photo at 1280×720 as v2's encode sees it (cover crop), its whole-frame matte and its faces. */
async function seen(name: string): Promise<{ image: ImageValue; matte: Float32Array; faces: Face[] }> {
  const data = await sharp(photoPath(name)).removeAlpha().toColourspace('srgb').resize(1280, 720, { fit: 'cover' }).raw().toBuffer();
  const image = new ImageValue(1280, 720, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const prob = await personProbabilities(model, image);
  const matte = (await refineMatte(image, prob, model.spec.width, model.spec.height)).data;
  const faces = (await detectFaces(image, { model: 'both', threshold: 0.75, maxFaces: 8 })).faces;
  return { image, matte, faces };
}

const meanOver = (m: Float32Array, w: number, ...box: number[]) => {
  const [x0, y0, x1, y1] = box.map(Math.round) as [number, number, number, number];
  let s = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += m[y * w + x];
  return s / ((x1 - x0) * (y1 - y0));
};

describe.skipIf(!hasPhotos(PORTRAITS.basketball, PORTRAITS.grace))('addPeopleAtFaces', () => {
  it('finds a full-length person the whole-frame pass missed: face, shirt and legs, and nothing far from him', async () => {
    const { image, matte, faces } = await seen(PORTRAITS.basketball);
    expect(faces.length).toBeGreaterThanOrEqual(1);
    const f = faces[0]!.box;
    const cx = Math.round(f.x + f.width / 2);
    const s = Math.round(f.width);
    // The whole-frame matte: scraps, nothing on the man at the left.
    const face = [Math.round(f.x + s / 4), Math.round(f.y + s / 4), Math.round(f.x + (3 * s) / 4), Math.round(f.y + (3 * s) / 4)] as const;
    expect(meanOver(matte, 1280, ...face)).toBeLessThan(0.1);
    const { matte: joined, added } = await addPeopleAtFaces(model, image, matte, faces);
    expect(added).toBe(1);
    expect(meanOver(joined, 1280, ...face)).toBeGreaterThan(0.8);
    // His torso (2–4 face heights below the face) and his legs (8–10 below, the image runs out at 12).
    expect(meanOver(joined, 1280, cx - s / 2, f.y + 2 * s, cx + s / 2, f.y + 4 * s)).toBeGreaterThan(0.8);
    expect(meanOver(joined, 1280, cx - s, f.y + 8 * s, cx + s / 2, f.y + 10 * s)).toBeGreaterThan(0.5);
    // The wall beside him (the middle of the picture) stays background, and the matte changes only inside his crop.
    expect(meanOver(joined, 1280, 560, 100, 760, 500)).toBeLessThan(0.02);
    for (let y = 0; y < 720; y++)
      for (let x = Math.ceil(cx + 3.5 * f.width) + 1; x < 1280; x++) expect(joined[y * 1280 + x]).toBe(matte[y * 1280 + x]);
  });

  it('leaves the matte as it is where every face is already covered (a portrait), and where there is no face', async () => {
    const { image, matte, faces } = await seen(PORTRAITS.grace);
    expect(faces.length).toBeGreaterThanOrEqual(1);
    const portrait = await addPeopleAtFaces(model, image, matte, faces);
    expect(portrait.added).toBe(0);
    expect(portrait.matte).toBe(matte);
    expect((await addPeopleAtFaces(model, image, matte, [])).matte).toBe(matte);
  });

  it('does not join a crop whose matte misses the face it was cut for (a face box on a bare wall)', async () => {
    const { image, matte } = await seen(PORTRAITS.basketball);
    const wall: Face = { ...(await seen(PORTRAITS.basketball)).faces[0]!, box: { x: 620, y: 200, width: 50, height: 50 } };
    const out = await addPeopleAtFaces(model, image, matte, [wall]);
    expect(out.added).toBe(0);
    expect(out.matte).toBe(matte);
  });

  it('is deterministic', async () => {
    const { image, matte, faces } = await seen(PORTRAITS.basketball);
    const a = await addPeopleAtFaces(model, image, matte, faces);
    const b = await addPeopleAtFaces(model, image, matte, faces);
    expect(Buffer.from(a.matte.buffer).equals(Buffer.from(b.matte.buffer))).toBe(true);
  });
});
