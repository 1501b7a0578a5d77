import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '@kinegraph/graph-core';
import { probe } from '../ffmpeg/probe.js';
import { createHostServices } from '../host/host-services.js';
import { createNodeRegistry } from '../index.js';

const WORKFLOWS = path.resolve(import.meta.dirname, '../../../../workflows');

/**
 * workflows/photo-to-video-upscaled.json end to end through the engine, at a small size so it runs in
 * seconds (the shipped 720p -> 1440p is the same graph): the MP4 comes out at twice the clip's size, and a
 * rerun that changes only the encoding never upscales again.
 */
describe('workflows/photo-to-video-upscaled.json', () => {
  let root: string;
  let outputDir: string;
  let engine: Engine;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kinegraph-upscaled-'));
    const dirs = {
      inputDir: path.join(root, 'input'),
      outputDir: path.join(root, 'output'),
      tempDir: path.join(root, 'temp'),
      modelsDir: path.join(root, 'models'),
    };
    await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
    outputDir = dirs.outputDir;
    const services = createHostServices({
      ...dirs,
      searchDirs: [WORKFLOWS],
      executionProvider: 'cpu',
      modelCacheDir: path.join(root, 'cache', 'models'),
    });
    engine = new Engine({ registry: createNodeRegistry(), services, hashFile: (ref) => services.hashFile(ref) });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('upscales the clip 2x with slim-x2-int8, and a new encoding setting reuses the upscaled frames', { timeout: 300_000 }, async () => {
    const doc = JSON.parse(readFileSync(path.join(WORKFLOWS, 'photo-to-video-upscaled.json'), 'utf8'));
    expect(doc.nodes.upscale_model.params.model).toBe('slim-x2-int8');
    expect(doc.nodes.encode.params.resolution).toBe('720p');
    Object.assign(doc.nodes.encode.params, { resolution: 'custom', width: 192, height: 128 });
    Object.assign(doc.nodes.denoise.params, { frames: 9 });
    const events: EngineEvent[] = [];
    const first = await engine.run(doc, { onEvent: (e) => events.push(e) });
    expect(first.error).toBeUndefined();
    expect(first.status).toBe('succeeded');
    const perFrame = events.filter((e) => e.type === 'progress' && e.nodeId === 'upscale');
    expect(perFrame.length).toBe(10); // 0 and each of the 9 frames
    expect(events.some((e) => e.type === 'preview' && e.nodeId === 'upscale')).toBe(true);
    const files = (await readdir(outputDir)).filter((f) => f.startsWith('photo-to-video-upscaled') && f.endsWith('.mp4'));
    expect(files).toHaveLength(1);
    const video = (await probe(path.join(outputDir, files[0]))).streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height, Number(video.nb_frames)]).toEqual([384, 256, 9]);

    doc.nodes.save.params.quality = 60;
    const again: EngineEvent[] = [];
    const second = await engine.run(doc, { onEvent: (e) => again.push(e) });
    expect(second.status).toBe('succeeded');
    expect(again.some((e) => e.type === 'node_cached' && e.nodeId === 'upscale')).toBe(true);
    expect(again.some((e) => e.type === 'progress' && e.nodeId === 'upscale')).toBe(false);
    expect((await readdir(outputDir)).filter((f) => f.endsWith('.mp4'))).toHaveLength(2);
  });
});
