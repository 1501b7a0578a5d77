import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthValue, FacesValue, type Face } from '@kinegraph/nodes';
import { encodeSafetensors } from './safetensors.js';
import { decodeValue, encodeValue, type StoredValue } from './value-codec.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kg-perception-codec-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What the disk cache does with an entry: JSON text on disk, parsed back. */
const throughJson = (stored: StoredValue | undefined): StoredValue => JSON.parse(JSON.stringify(stored));

describe('DEPTH on disk', () => {
  it('round-trips bit for bit as a float32 [height, width] safetensors file, with its model', async () => {
    const values = Float32Array.from({ length: 9 * 4 }, (_, i) => Math.fround((i * 0.0917) % 1));
    const stored = await encodeValue(new DepthValue(9, 4, values, 'fastdepth'), dir, 'out0');
    expect(stored).toMatchObject({ codec: 'depth', file: 'out0.safetensors', bytes: expect.any(Number) });
    const back = (await decodeValue(throughJson(stored), dir)) as DepthValue;
    expect(back).toBeInstanceOf(DepthValue);
    expect([back.width, back.height, back.model]).toEqual([9, 4, 'fastdepth']);
    expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength).equals(Buffer.from(values.buffer))).toBe(true);
    expect(back.summary()).toBe(new DepthValue(9, 4, values, 'fastdepth').summary());
  });

  it('refuses a cached file that holds no depth tensor', async () => {
    const stored = await encodeValue(new DepthValue(2, 2, new Float32Array(4), 'fastdepth'), dir, 'out1');
    const parts = encodeSafetensors({ mask: { dtype: 'float32', shape: [2, 2], data: new Float32Array(4) } }, {});
    await writeFile(path.join(dir, 'out1.safetensors'), Buffer.concat([parts.head, ...parts.chunks]));
    await expect(decodeValue(stored!, dir)).rejects.toThrow('cached depth has no float32 [height, width] tensor');
  });
});

const face = (x: number, score: number): Face => ({
  box: { x, y: 20.125, width: 64.5, height: 80 },
  score,
  landmarks: {
    rightEye: [x + 15, 45.5],
    leftEye: [x + 45, 45.25],
    noseTip: [x + 30, 60],
    mouth: [x + 30, 78.875],
    rightEar: [x, 50],
    leftEar: [x + 64, 50.001],
  },
});

describe('FACES on disk', () => {
  it('round-trips inside the entry (no file): size, model, every box, score and landmark', async () => {
    const faces = new FacesValue(640, 480, [face(100.5, 0.973), face(400, 0.812)], 'blazeface short+full range');
    const stored = await encodeValue(faces, dir, 'out2');
    expect(stored?.codec).toBe('faces');
    expect(stored).not.toHaveProperty('file');
    const back = (await decodeValue(throughJson(stored), dir)) as FacesValue;
    expect(back).toBeInstanceOf(FacesValue);
    expect(back.toJSON()).toEqual(faces.toJSON());
    expect(back.summary()).toBe('FACES 2 in 640x480 (best score 0.97)');
  });

  it('keeps an empty result (no faces found is a result too)', async () => {
    const back = (await decodeValue(
      throughJson(await encodeValue(new FacesValue(32, 16, [], 'blazeface short range'), dir, 'out3')),
      dir,
    )) as FacesValue;
    expect([back.count, back.width, back.height, back.model]).toEqual([0, 32, 16, 'blazeface short range']);
  });

  it('refuses a damaged entry instead of handing on a broken FACES', async () => {
    const stored = throughJson(await encodeValue(new FacesValue(64, 64, [face(1, 0.9)], 'm'), dir, 'out4')) as {
      codec: 'faces';
      value: { faces: Array<{ score: unknown }> };
    };
    stored.value.faces[0].score = 'high';
    await expect(decodeValue(stored as StoredValue, dir)).rejects.toThrow(/score/);
    await expect(
      decodeValue({ codec: 'faces', value: { kind: 'faces', width: 0, height: 4, model: 'm', faces: [] } }, dir),
    ).rejects.toThrow(/width/);
  });
});
