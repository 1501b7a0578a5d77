import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '@kinegraph/graph-core';
import { createHostServices, createNodeRegistry, probe } from '@kinegraph/nodes';

const WORKFLOWS = path.resolve(import.meta.dirname, '../../workflows');

/** The default workflow, end to end through the engine: photo in, MP4 out. */
describe('workflows/photo-to-video.json', () => {
  let root: string;
  let inputDir: string;
  let outputDir: string;
  let engine: Engine;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kinegraph-i2v-'));
    const dirs = {
      inputDir: path.join(root, 'input'),
      outputDir: path.join(root, 'output'),
      tempDir: path.join(root, 'temp'),
      modelsDir: path.join(root, 'models'),
    };
    await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
    outputDir = dirs.outputDir;
    inputDir = dirs.inputDir;
    const services = createHostServices({ ...dirs, searchDirs: [WORKFLOWS] });
    engine = new Engine({ registry: createNodeRegistry(), services, hashFile: (ref) => services.hashFile(ref) });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('renders a 6 s, 24 fps, 1280x720 H.264 yuv420p MP4 of the shipped photo', { timeout: 240_000 }, async () => {
    const doc = JSON.parse(readFileSync(path.join(WORKFLOWS, 'photo-to-video.json'), 'utf8'));
    const events: EngineEvent[] = [];
    const result = await engine.run(doc, { onEvent: (e) => events.push(e) });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    // Denoise reported each of its steps with a preview picture.
    const steps = doc.nodes.denoise.params.steps as number;
    expect(events.filter((e) => e.type === 'progress' && e.nodeId === 'denoise').length).toBe(steps);
    expect(events.filter((e) => e.type === 'preview' && e.nodeId === 'denoise').length).toBe(steps);
    // The prompt node told the user what it understood.
    expect(result.ui.prompt?.[0]?.text).toContain('Camera: push in');
    const files = (await readdir(outputDir)).filter((f) => f.endsWith('.mp4'));
    expect(files).toHaveLength(1);
    const info = await probe(path.join(outputDir, files[0]));
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    expect(video.codec_name).toBe('h264');
    expect(video.pix_fmt).toBe('yuv420p');
    expect([video.width, video.height]).toEqual([1280, 720]);
    expect(video.r_frame_rate).toBe('24/1');
    expect(Number(video.nb_frames)).toBe(144);
    expect(Number(info.format.duration)).toBeCloseTo(6, 1);
  });

  it('a corrupt photo fails the run with a clear error on the image node', async () => {
    await writeFile(path.join(inputDir, 'broken.jpg'), Buffer.from('this is not a JPEG at all'));
    const doc = JSON.parse(readFileSync(path.join(WORKFLOWS, 'photo-to-video.json'), 'utf8'));
    doc.nodes.image.params.image = 'broken.jpg';
    const result = await engine.run(doc);
    expect(result.status).toBe('failed');
    expect(result.error?.nodeId).toBe('image');
    expect(result.error?.message).toMatch(/image|decode|read|format/i);
  });

  it(
    'photo-to-video-motion-brush.json: the painted lake mask reaches Denoise through Motion Brush (a 1 s cut)',
    { timeout: 240_000 },
    async () => {
      const doc = JSON.parse(readFileSync(path.join(WORKFLOWS, 'photo-to-video-motion-brush.json'), 'utf8'));
      expect(doc.nodes.denoise.inputs.motion_regions).toEqual(['brush', 'regions']);
      doc.nodes.denoise.params.duration = 1;
      doc.nodes.save.params.filename_prefix = 'brush-cut';
      const result = await engine.run(doc);
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('succeeded');
      const files = (await readdir(outputDir)).filter((f) => f.startsWith('brush-cut') && f.endsWith('.mp4'));
      expect(files).toHaveLength(1);
      const video = (await probe(path.join(outputDir, files[0]))).streams.find((s) => s.codec_type === 'video')!;
      expect(Number(video.nb_frames)).toBe(24);
    },
  );
});
