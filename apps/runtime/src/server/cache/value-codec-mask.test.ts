import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaskValue } from '@kinegraph/nodes';
import { encodeSafetensors } from './safetensors.js';
import { decodeValue, encodeValue } from './value-codec.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kg-mask-codec-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('MASK on disk', () => {
  it('round-trips bit for bit as a float32 [height, width] safetensors file', async () => {
    const values = Float32Array.from({ length: 7 * 5 }, (_, i) => (i * 0.173) % 1);
    const mask = new MaskValue(7, 5, values);
    const stored = await encodeValue(mask, dir, 'out0');
    expect(stored).toMatchObject({ codec: 'mask', file: 'out0.safetensors' });
    const back = (await decodeValue(stored!, dir)) as MaskValue;
    expect(back).toBeInstanceOf(MaskValue);
    expect([back.width, back.height]).toEqual([7, 5]);
    expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength).equals(Buffer.from(values.buffer))).toBe(true);
  });

  it('refuses a cached file that holds no mask tensor', async () => {
    const stored = await encodeValue(MaskValue.filled(2, 2, 1), dir, 'out1');
    const parts = encodeSafetensors({ other: { dtype: 'uint8', shape: [1], data: new Uint8Array(1) } }, {});
    await writeFile(path.join(dir, 'out1.safetensors'), Buffer.concat([parts.head, ...parts.chunks]));
    await expect(decodeValue(stored!, dir)).rejects.toThrow('cached mask has no float32 [height, width] tensor');
  });
});
