import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '@kinegraph/graph-core';
import { createHostServices, createNodeRegistry, ffmpegPath } from '@kinegraph/nodes';

const WORKFLOWS = path.resolve(import.meta.dirname, '../../workflows');

/**
 * What the user sees is what runs: in the shipped photo workflows the Camera Path drives Denoise's camera (it
 * overrides the prompt's camera words), and the prompt's camera words name the same moves. So the clip is the
 * same frame for frame with the Camera Path connected or not, and neither one says something the video does not.
 */
describe.each(['photo-to-video.json', 'photo-to-video-soundtrack.json'])('%s: Camera Path and prompt agree', (file) => {
  let root: string;
  let outputDir: string;
  let engine: Engine;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kinegraph-camera-'));
    const dirs = {
      inputDir: path.join(root, 'input'),
      outputDir: path.join(root, 'output'),
      tempDir: path.join(root, 'temp'),
      modelsDir: path.join(root, 'models'),
    };
    await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
    outputDir = dirs.outputDir;
    const services = createHostServices({ ...dirs, searchDirs: [WORKFLOWS] });
    engine = new Engine({ registry: createNodeRegistry(), services, hashFile: (ref) => services.hashFile(ref) });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** Renders 24 frames (with or without the camera link) and returns the decoded frames' MD5. */
  async function frames(doc: Record<string, any>, prefix: string): Promise<string> {
    doc.nodes.denoise.params.frames = 24;
    doc.nodes.save.params.filename_prefix = prefix;
    const result = await engine.run(doc);
    expect(result.error).toBeUndefined();
    const mp4 = (await readdir(outputDir)).find((f) => f.startsWith(prefix) && f.endsWith('.mp4'))!;
    return execFileSync(ffmpegPath(), ['-v', 'error', '-i', path.join(outputDir, mp4), '-map', '0:v', '-f', 'md5', '-'], {
      encoding: 'utf8',
    }).trim();
  }

  it('the Camera Path is connected, and the prompt alone moves the camera the same way', { timeout: 240_000 }, async () => {
    const doc = JSON.parse(readFileSync(path.join(WORKFLOWS, file), 'utf8'));
    const camera = Object.entries(doc.nodes as Record<string, { type: string }>).find(([, n]) => n.type === 'CameraPath')?.[0];
    expect(camera).toBeDefined();
    expect(doc.nodes.denoise.inputs.camera).toEqual([camera, 'camera']);
    const withPath = await frames(structuredClone(doc), 'with-path');
    const promptOnly = structuredClone(doc);
    delete promptOnly.nodes.denoise.inputs.camera;
    delete promptOnly.nodes[camera!];
    delete promptOnly.ui.nodes[camera!];
    expect(await frames(promptOnly, 'prompt-only')).toBe(withPath);
    // And the camera does move (a still clip would agree trivially): the first and last frames differ.
    const mp4 = path.join(
      outputDir,
      (await readdir(outputDir)).find((f) => f.startsWith('with-path'))!,
    );
    const frame = (n: number) =>
      execFileSync(ffmpegPath(), [
        '-v',
        'error',
        '-i',
        mp4,
        '-vf',
        `select=eq(n\\,${n})`,
        '-frames:v',
        '1',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        '-',
      ]);
    const [a, b] = [frame(0), frame(23)];
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
    expect(diff / a.length).toBeGreaterThan(2);
  });
});
