import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, UserError } from '@kinegraph/graph-core';
import { ModelCacheToken } from '../perception/converter/model-cache.js';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { UpscaleHostToken } from './upscale-host.js';
import { LoadUpscaleModel } from './load-upscale-model.js';
import { UpscaleModel } from './upscale-model.js';
import { bilinearUpscaler, negatingUpscaler, sameSizeFilter, vectorModel } from './test-models.js';

let host: TestHost;
let cacheDir: string;
let services: ReturnType<typeof createServices>;

beforeAll(async () => {
  host = await createTestHost();
  cacheDir = path.join(host.root, 'cache', 'models');
  const modelsDir = path.join(host.root, 'models');
  await mkdir(path.join(modelsDir, 'upscale'), { recursive: true });
  services = createServices([
    [ModelCacheToken, { dir: cacheDir }],
    [UpscaleHostToken, { modelsDir, executionProvider: 'cpu' as const }],
  ]);
});
afterAll(() => host.cleanup());

const load = (model: string) =>
  runNode(LoadUpscaleModel, createTestCtx(services), {}, { model }).then((r) => r.upscale_model as UpscaleModel);
const drop = (name: string, bytes: Uint8Array | string) => writeFile(path.join(host.root, 'models', 'upscale', name), bytes);

describe('LoadUpscaleModel: built-in models', () => {
  it('converts slim-x2 once into the cache folder and opens it', async () => {
    const m = await load('slim-x2');
    expect(m).toBeInstanceOf(UpscaleModel);
    expect(m.info).toMatchObject({ id: 'slim-x2', scale: 2, layout: 'nhwc', range: 255, context: 10 });
    expect(m.summary()).toBe('UPSCALE_MODEL slim-x2 (2x, cpu)');
    expect(JSON.stringify(m)).toBe(JSON.stringify({ kind: 'upscale_model', id: 'slim-x2', hash: m.info.hash }));
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.startsWith('slim-x2-') && f.endsWith('.onnx'))).toHaveLength(1);
    // A second load in this process is the same open session.
    expect(await load('slim-x2')).toBe(m);
  });

  it('makes slim-x2-int8 from the converted slim-x2 once, keeps it in the cache and runs it like slim-x2', async () => {
    const m = await load('slim-x2-int8');
    expect(m.info).toMatchObject({ id: 'slim-x2-int8', scale: 2, layout: 'nhwc', range: 255, context: 10 });
    expect(m.info.title).toContain('int8');
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.startsWith('slim-x2-int8-') && f.endsWith('.onnx'))).toHaveLength(1);
    expect(await load('slim-x2-int8')).toBe(m);
    // The same random-ish tile through both: close (int8 rounding), never equal.
    const tile = Float32Array.from({ length: 48 * 40 * 3 }, (_, i) => (i * 7919) % 256);
    const [a, b] = [await m.run(tile, 48, 40), await (await load('slim-x2')).run(tile, 48, 40)];
    let e = 0;
    for (let i = 0; i < a.length; i++) e += (a[i] - b[i]) ** 2;
    const rms = Math.sqrt(e / a.length);
    expect(rms).toBeGreaterThan(0);
    expect(rms).toBeLessThan(3);
  });

  it('runs a tile at its scale', async () => {
    const m = await load('slim-x2');
    const out = await m.run(new Float32Array(40 * 32 * 3).fill(128), 40, 32);
    expect(out.length).toBe(80 * 64 * 3);
    // A flat grey field stays grey away from the tile's zero-padded edges.
    const centre = (32 * 80 + 40) * 3;
    for (const v of out.subarray(centre, centre + 3)) expect(Math.abs(v - 128)).toBeLessThan(3);
  });

  it('refuses an unknown name, listing what there is', async () => {
    await expect(load('ultra-x2')).rejects.toThrow(UserError);
    await expect(load('ultra-x2')).rejects.toThrow(/Unknown upscale model "ultra-x2": built-in models are slim-x2/);
    await expect(load('upscale/../../etc.onnx')).rejects.toThrow(/Unknown upscale model/);
  });
});

describe('LoadUpscaleModel: ONNX files in models/upscale/', () => {
  it('measures an NCHW 0-1 upscaler: scale, layout, range and context', async () => {
    await drop('bilinear.onnx', bilinearUpscaler(2));
    const m = await load('upscale/bilinear.onnx');
    expect(m.info).toMatchObject({ id: 'upscale/bilinear.onnx', scale: 2, layout: 'nchw', range: 1 });
    expect(m.info.context).toBeLessThanOrEqual(2); // bilinear reads one neighbour
    const out = await m.run(new Float32Array(4 * 4 * 3).fill(200), 4, 4);
    expect(out.length).toBe(8 * 8 * 3);
    for (const v of out) expect(v).toBeCloseTo(200, 3);
  });

  async function dropConverted(id: string, name: string): Promise<UpscaleModel> {
    const builtin = await load(id);
    const converted = (await readdir(cacheDir)).find((f) => f.startsWith(`${id}-`))!;
    await copyFile(path.join(cacheDir, converted), path.join(host.root, 'models', 'upscale', name));
    return builtin;
  }

  it('measures an NHWC upscaler (the converted slim-x4 dropped in as a file) and upscales like the built-in', async () => {
    const builtin = await dropConverted('slim-x4', 'my-slim.onnx');
    const m = await load('upscale/my-slim.onnx');
    expect(m.info).toMatchObject({ scale: 4, layout: 'nhwc' });
    expect(m.info.context).toBeGreaterThanOrEqual(8);
    expect(m.info.context).toBeLessThanOrEqual(12);
    // RDN is nearly scale-free (its biases are tiny), so the probe may take either range: the picture is the same.
    const tile = new Float32Array(24 * 24 * 3).map((_, i) => 60 + ((i * 37) % 140));
    const [a, b] = [await m.run(tile, 24, 24), await builtin.run(tile, 24, 24)];
    let worst = 0;
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
      sum += Math.abs(a[i] - b[i]);
    }
    if (m.info.range === 255) expect(worst).toBeLessThan(1e-3);
    // Measured 1.8 levels of 255 on average on this noise tile when the probe picks 0-1.
    else expect(sum / a.length).toBeLessThan(2.5);
  });

  it('finds the 0-1 range of a network that depends on it (gans-x4 dropped in)', async () => {
    await dropConverted('gans-x4', 'gans.onnx');
    const m = await load('upscale/gans.onnx');
    expect(m.info).toMatchObject({ scale: 4, layout: 'nhwc', range: 1 });
  }, 120_000);

  it('keeps a fixed input size', async () => {
    await drop('fixed.onnx', bilinearUpscaler(3, [1, 3, 48, 64]));
    const m = await load('upscale/fixed.onnx');
    expect(m.info).toMatchObject({ scale: 3, layout: 'nchw', range: 1, fixed: { width: 64, height: 48 } });
  });

  it('says why a file is not an upscaler', async () => {
    await drop('notes.onnx', 'these are my notes, not a model');
    await expect(load('upscale/notes.onnx')).rejects.toThrow(/upscale\/notes\.onnx: notes\.onnx \(31 bytes\) is not a valid ONNX model/);
    await drop('filter.onnx', sameSizeFilter());
    await expect(load('upscale/filter.onnx')).rejects.toThrow(
      /filter\.onnx is not an image upscaler: a 32x32 picture comes out the same size/,
    );
    await drop('negated.onnx', negatingUpscaler());
    await expect(load('upscale/negated.onnx')).rejects.toThrow(
      /negated\.onnx is not an image upscaler: its output does not resemble its input on the 0-1 or the 0-255 scale/,
    );
    await drop('vector.onnx', vectorModel());
    await expect(load('upscale/vector.onnx')).rejects.toThrow(
      /vector\.onnx is not an image upscaler: its input "features" is float32 \[1, 10\]/,
    );
    await expect(load('upscale/missing.onnx')).rejects.toThrow(/upscale\/missing\.onnx: there is no missing\.onnx in/);
  });

  it('needs a models folder for a file', async () => {
    const bare = createServices([[ModelCacheToken, { dir: cacheDir }]]);
    await expect(runNode(LoadUpscaleModel, createTestCtx(bare), {}, { model: 'upscale/bilinear.onnx' })).rejects.toThrow(
      /names a file in the models folder, and this host has none/,
    );
  });
});
