import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineNode, p, type NodeDefinition } from '@kinegraph/graph-core';
import { AudioValue, ConditioningValue, ImageValue, LatentValue, VideoValue, videoFromFrames } from '@kinegraph/nodes';
import { DiskCache } from './disk-cache.js';
import { decodeSafetensors } from './safetensors.js';

const Def = defineNode({
  type: 'CacheTestNode',
  category: 'test',
  title: 'Cache test',
  description: '',
  version: 1,
  inputs: {},
  outputs: {},
  params: { n: p.int({ default: 0 }) },
  cache: 'pure',
  execute: () => ({}),
}) as unknown as NodeDefinition;

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function open(maxBytes = 64 * 1024 * 1024, dir?: string) {
  const d = dir ?? (await mkdtemp(path.join(os.tmpdir(), 'kg-disk-')));
  if (!dir) dirs.push(d);
  return { dir: d, cache: await DiskCache.open({ dir: d, maxBytes }) };
}

function image(w: number, h: number, seed: number): ImageValue {
  const data = new Uint8Array(w * h * 3);
  // xorshift noise: PNG can not shrink it, so entry sizes are predictable.
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 255;
  }
  return new ImageValue(w, h, data);
}

describe('DiskCache', () => {
  it('stores every value kind and reads it back after a reopen, byte for byte', async () => {
    const { dir, cache } = await open();
    const samples = new Float32Array(2 * 3 * 4 * 5).map((_, i) => i / 7);
    const latent = new LatentValue(
      'parallax',
      { samples: { dtype: 'float32', shape: [2, 3, 4, 5], data: samples } },
      { fps: 24, note: 'x' },
    );
    const cond = new ConditioningValue(
      'parallax',
      'a slow dolly in',
      { understood: ['dolly in'], ignored: ['a'], summary: 'camera: dolly in', warnings: [] },
      { motion: 'dolly' },
      { emb: { dtype: 'float16', shape: [2], data: new Uint16Array([0x3c00, 0x4000]) } },
    );
    const audio = new AudioValue(48000, 2, new Float32Array([0.5, -0.5, 0.25, -0.25]));
    const frames = [image(8, 4, 1).data, image(8, 4, 2).data, image(8, 4, 3).data];
    const video = videoFromFrames(8, 4, 12, frames);
    const result = {
      outputs: { latent, cond, img: image(10, 6, 9), audio, video, n: 42, meta: { a: [1, 'b'] } },
      ui: [{ kind: 'text', text: 'hi' }],
    };
    await cache.set('key-1', Def, result);
    await cache.close();

    const reopened = (await open(undefined, dir)).cache;
    const back = await reopened.get('key-1', Def);
    expect(back).toBeDefined();
    const o = back!.outputs;
    expect(o.n).toBe(42);
    expect(o.meta).toEqual({ a: [1, 'b'] });
    expect(back!.ui).toEqual([{ kind: 'text', text: 'hi' }]);
    const l = o.latent as LatentValue;
    expect(l).toBeInstanceOf(LatentValue);
    expect(l.meta).toEqual({ fps: 24, note: 'x' });
    expect(Array.from(l.tensors.samples!.data as Float32Array)).toEqual(Array.from(samples));
    const c = o.cond as ConditioningValue;
    expect([c.text, c.report.understood, c.payload, Array.from(c.tensors.emb!.data as Uint16Array)]).toEqual([
      'a slow dolly in',
      ['dolly in'],
      { motion: 'dolly' },
      [0x3c00, 0x4000],
    ]);
    expect(Buffer.from((o.img as ImageValue).data).equals(Buffer.from(image(10, 6, 9).data))).toBe(true);
    const a = o.audio as AudioValue;
    expect([a.sampleRate, a.channels, Array.from(a.samples)]).toEqual([48000, 2, [0.5, -0.5, 0.25, -0.25]]);
    const v = o.video as VideoValue;
    expect([v.width, v.height, v.fps, v.frameCount]).toEqual([8, 4, 12, 3]);
    expect(Buffer.from(await v.frameAt(2)).equals(Buffer.from(frames[2]!))).toBe(true);
    expect(reopened.stats()).toMatchObject({ entries: 1, hits: 1 });
  });

  it('writes latents as standard .safetensors files (what Python tools read)', async () => {
    const { dir, cache } = await open();
    const latent = new LatentValue('edm-video', { samples: { dtype: 'float32', shape: [1, 4], data: new Float32Array([1, 2, 3, 4]) } });
    await cache.set('k', Def, { outputs: { latent }, ui: [] });
    await cache.flush();
    const [entry] = await readdir(path.join(dir, 'entries'));
    const files = await readdir(path.join(dir, 'entries', entry!));
    const st = files.find((f) => f.endsWith('.safetensors'))!;
    const bytes = new Uint8Array(await readFile(path.join(dir, 'entries', entry!, st)));
    const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
    expect(header.samples).toEqual({ dtype: 'F32', shape: [1, 4], data_offsets: [0, 16] });
    expect(header.__metadata__.family).toBe('edm-video');
    expect(Array.from(decodeSafetensors(bytes).tensors.samples!.data as Float32Array)).toEqual([1, 2, 3, 4]);
  });

  it('evicts the least recently used entries beyond its byte budget', async () => {
    const { cache } = await open(3.5 * 200 * 200 * 3); // room for three 120 KB pictures, not four
    const put = async (k: string, seed: number) => {
      await cache.set(k, Def, { outputs: { img: image(200, 200, seed) }, ui: [] });
      await cache.flush();
    };
    await put('a', 1);
    await put('b', 2);
    await put('c', 3);
    expect(await cache.get('a', Def)).toBeDefined(); // a is now the most recent
    await put('d', 4);
    const stats = cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(stats.maxBytes!);
    expect(stats.evictions).toBeGreaterThanOrEqual(1);
    expect(await cache.get('b', Def)).toBeUndefined();
    expect(await cache.get('a', Def)).toBeDefined();
    expect(await cache.get('d', Def)).toBeDefined();
  });

  it('treats a damaged entry as a miss and removes it; skips values it can not store', async () => {
    const { dir, cache } = await open();
    await cache.set('k', Def, { outputs: { img: image(4, 4, 1) }, ui: [] });
    await cache.flush();
    const [entry] = await readdir(path.join(dir, 'entries'));
    const png = (await readdir(path.join(dir, 'entries', entry!))).find((f) => f.endsWith('.png'))!;
    await writeFile(path.join(dir, 'entries', entry!, png), 'not a png');
    expect(await cache.get('k', Def)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 0, errors: 1 });

    const lazy = new VideoValue({
      width: 2,
      height: 2,
      fps: 1,
      frameCount: 100,
      frameAt: async () => new Uint8Array(12),
      byteSize: () => 0,
    });
    await cache.set('lazy', Def, { outputs: { video: lazy, fn: () => 1 } as Record<string, unknown>, ui: [] });
    await cache.flush();
    expect(cache.stats()).toMatchObject({ entries: 0, skipped: 1 });
    expect(await cache.get('lazy', Def)).toBeUndefined();
  });
});
