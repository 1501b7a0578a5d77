import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, ResultCache, type EngineEvent } from '@kinegraph/graph-core';
import { createHostServices, createNodeRegistry, type HostServices } from '@kinegraph/nodes';
import { writeTestModels } from '../../packages/nodes/src/onnx/testing/test-models.js';

/**
 * The default photo-to-video graph (LoadImage, LoadModel, EncodeImage, EncodePrompt, CameraPath, Denoise,
 * DecodeVideo, SaveVideo) driving the tiny ONNX models through the engine, as the CLI and the server do.
 */
const repo = path.resolve(import.meta.dirname, '../..');
let root: string;
let host: HostServices;
const registry = createNodeRegistry();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kinegraph-onnx-graph-'));
  await writeTestModels(path.join(root, 'models'));
  for (const d of ['input', 'output', 'temp']) await mkdir(path.join(root, d));
  host = createHostServices({
    inputDir: path.join(root, 'input'),
    outputDir: path.join(root, 'output'),
    tempDir: path.join(root, 'temp'),
    modelsDir: path.join(root, 'models'),
    searchDirs: [path.join(repo, 'workflows')],
    executionProvider: 'cpu',
  });
});
afterAll(async () => {
  await host.models.unloadAll();
  await rm(root, { recursive: true, force: true });
});

/** The shipped default workflow, its nodes found by type (ids may change), set up for the tiny models. */
async function workflow(model: string, o: { format?: string; seed?: number; frames?: number } = {}) {
  const doc = JSON.parse(await readFile(path.join(repo, 'workflows/photo-to-video.json'), 'utf8'));
  const node = (type: string) => Object.values(doc.nodes as Record<string, any>).find((n) => n.type === type);
  node('LoadModel').params.model = model;
  Object.assign(node('EncodeImage').params, { resolution: 'custom', width: 160, height: 128 });
  const denoise = node('Denoise');
  Object.assign(denoise.params, { frames: o.frames ?? 5, fps: 8, steps: 4, cfg: 2.5, seed: o.seed ?? 42 });
  denoise.inputs.camera = [idOf(doc, 'CameraPath'), 'camera'];
  node('SaveVideo').params.format = o.format ?? 'mp4';
  return doc;
}

function idOf(doc: { nodes: Record<string, { type: string }> }, type: string): string {
  return Object.entries(doc.nodes).find(([, n]) => n.type === type)![0];
}
const denoiseId = async () => idOf(await workflow('video/tiny-edm'), 'Denoise');
const saveId = async () => idOf(await workflow('video/tiny-edm'), 'SaveVideo');
const decodeId = async () => idOf(await workflow('video/tiny-edm'), 'DecodeVideo');

/** As the CLI builds it: input files are content-hashed so LoadImage results are cached. */
function engineFor(): Engine {
  return new Engine({ registry, services: host, cache: new ResultCache(), hashFile: (ref) => host.hashFile(ref) });
}

async function run(engine: Engine, doc: unknown) {
  const events: EngineEvent[] = [];
  const result = await engine.run(doc, { onEvent: (e) => events.push(e) });
  if (result.status !== 'succeeded')
    throw new Error(`run ${result.status}: ${JSON.stringify(result.error)} ${JSON.stringify(result.issues)}`);
  const files = Object.values(result.ui)
    .flat()
    .filter((u) => u.filename);
  return { result, events, files };
}

describe.each(['video/tiny-edm', 'video/tiny-flow'])('%s through the engine', (model) => {
  it('runs the default graph with progress and previews; the same seed writes identical bytes', async () => {
    const first = await run(engineFor(), await workflow(model));
    const denoise = await denoiseId();
    const progress = first.events.filter((e) => e.type === 'progress' && e.nodeId === denoise);
    const previews = first.events.filter((e) => e.type === 'preview' && e.nodeId === denoise);
    // 4 steps; a flow model without camera input skips the first 30 % of the schedule for a camera path.
    expect(progress.length).toBe(model.includes('flow') ? 3 : 4);
    expect(progress.at(-1)).toMatchObject({ value: progress.length, max: progress.length });
    expect(previews.length).toBeGreaterThanOrEqual(1);
    expect(first.files.length).toBe(1);
    const again = await run(engineFor(), await workflow(model));
    const bytesA = await readFile(path.join(root, 'output', first.files[0].filename!));
    const bytesB = await readFile(path.join(root, 'output', again.files[0].filename!));
    expect(bytesA.length).toBeGreaterThan(1000);
    expect(bytesA.equals(bytesB)).toBe(true);
  });

  it('changing only the output format reuses the cached latent', async () => {
    const engine = engineFor();
    await run(engine, await workflow(model, { format: 'mp4' }));
    const second = await run(engine, await workflow(model, { format: 'webm' }));
    const cached = second.events.filter((e) => e.type === 'node_cached').map((e) => (e as { nodeId: string }).nodeId);
    const started = second.events.filter((e) => e.type === 'node_started').map((e) => (e as { nodeId: string }).nodeId);
    // Nothing upstream of SaveVideo runs again: the decoded video (over the cached latent) is reused.
    expect(started).toEqual([await saveId()]);
    expect(cached).toContain(await decodeId());
    expect(second.files[0].filename).toMatch(/\.webm$/);
  });
});

describe('interruption', () => {
  it('stops Denoise between steps and reports the run interrupted', async () => {
    const engine = engineFor();
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    const doc = await workflow('video/tiny-flow', { frames: 9 });
    const denoise = idOf(doc, 'Denoise');
    doc.nodes[denoise].params.steps = 30;
    const result = await engine.run(doc, {
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'progress' && e.nodeId === denoise && e.value === 3) controller.abort();
      },
    });
    expect(result.status).toBe('interrupted');
    const steps = events.filter((e) => e.type === 'progress' && e.nodeId === denoise).length;
    expect(steps).toBeLessThanOrEqual(4);
  });
});
