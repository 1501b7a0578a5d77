import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestModels } from '../../packages/nodes/src/onnx/testing/test-models.js';
import { kinegraph, repoRoot, scratchWithPhoto } from '../cli/cli-harness.js';
import { api, removeDir, startTestServer, tempDir, testJpeg, waitForRun, WsProbe } from '../server/harness.js';

/** The tiny ONNX models through the real `kinegraph` CLI and the real server, as a user runs them. */
const defaultWorkflow = path.join(repoRoot, 'workflows/photo-to-video.json');

const shipped = JSON.parse(readFileSync(defaultWorkflow, 'utf8')) as { nodes: Record<string, { type: string }> };
/** Node ids of the shipped workflow, found by type (the ids may be renamed). */
const id = (type: string) => Object.entries(shipped.nodes).find(([, n]) => n.type === type)![0];

function tinySettings(model: string): string[] {
  return [
    `${id('LoadModel')}.model=${model}`,
    `${id('EncodeImage')}.resolution=custom`,
    `${id('EncodeImage')}.width=160`,
    `${id('EncodeImage')}.height=128`,
    `${id('Denoise')}.frames=5`,
    `${id('Denoise')}.fps=8`,
    `${id('Denoise')}.steps=3`,
    `${id('Denoise')}.cfg=2.5`,
    `${id('LoadImage')}.image=photo.jpg`,
  ].flatMap((s) => ['--set', s]);
}

describe('CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchWithPhoto();
    await writeTestModels(path.join(dir, 'models'));
  });
  afterAll(() => removeDir(dir));

  // The default workflow's Camera Path reaches Denoise: tiny-flow has no camera input, so its start is the
  // warped photo and the first of 3 steps is skipped (cameraWarpSkip 0.3); tiny-edm runs all 3.
  it.each([
    ['video/tiny-edm', [1, 2, 3]],
    ['video/tiny-flow', [1, 2]],
  ])('runs the default workflow on %s with progress and previews; same seed, same bytes', async (model, steps) => {
    const files: Buffer[] = [];
    for (const out of ['out-a', 'out-b']) {
      const r = await kinegraph(
        [
          'run',
          defaultWorkflow,
          '--json',
          '--provider',
          'cpu',
          '--models',
          'models',
          '--out',
          out,
          '--input-dir',
          dir,
          ...tinySettings(model),
        ],
        { cwd: dir },
      );
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.filter((l) => l.type === 'progress' && l.nodeId === id('Denoise')).map((l) => l.value)).toEqual(steps);
      expect(lines.some((l) => l.type === 'preview' && l.nodeId === id('Denoise') && l.image.bytes > 100)).toBe(true);
      const result = lines.find((l) => l.type === 'cli_result');
      expect(result.status).toBe('succeeded');
      files.push(await readFile(result.files[0]));
    }
    expect(files[0].length).toBeGreaterThan(1000);
    expect(files[0].equals(files[1])).toBe(true);
  });

  it('reports a broken model folder as a clear error', async () => {
    const file = path.join(dir, 'models/video/tiny-flow-fp16/transformer.onnx');
    const original = await readFile(file);
    await writeFile(file, 'not a model');
    try {
      const r = await kinegraph(
        [
          'run',
          defaultWorkflow,
          '--provider',
          'cpu',
          '--models',
          'models',
          '--out',
          'out-c',
          '--input-dir',
          dir,
          ...tinySettings('video/tiny-flow-fp16'),
        ],
        { cwd: dir },
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('"transformer.onnx" (model.json components.denoiser) is not a valid ONNX model');
    } finally {
      await writeFile(file, original);
    }
  });
});

describe('server', () => {
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    dataDir = await tempDir('kg-onnx-server-');
    await writeTestModels(path.join(dataDir, 'models'));
    server = await startTestServer(dataDir);
  });
  afterAll(async () => {
    await server.close();
    await removeDir(dataDir);
  });

  it('lists the ONNX models and runs tiny-flow with progress and previews over the WebSocket', async () => {
    const models = await api(server.url, '/api/models');
    expect(JSON.stringify(models.body)).toContain('video/tiny-flow');
    const up = await api(server.url, '/api/uploads?kind=image&filename=photo.jpg', { method: 'POST', body: await testJpeg() });
    expect(up.status).toBe(201);
    const wf = JSON.parse(await readFile(defaultWorkflow, 'utf8'));
    wf.nodes[id('LoadImage')].params.image = up.body.name;
    wf.nodes[id('LoadModel')].params.model = 'video/tiny-flow';
    Object.assign(wf.nodes[id('EncodeImage')].params, { resolution: 'custom', width: 160, height: 128 });
    Object.assign(wf.nodes[id('Denoise')].params, { frames: 9, fps: 8, steps: 4, cfg: 3 });
    const ws = await WsProbe.open(server.url);
    const sub = await api(server.url, '/api/runs', { method: 'POST', json: { workflow: wf } });
    expect(sub.status).toBe(201);
    const runId = sub.body.runs[0].runId as string;
    await ws.until((p) => p.runEnded(runId), 60_000);
    const progress = ws.events.filter((e) => e.runId === runId && e.type === 'progress' && e.nodeId === id('Denoise'));
    expect(progress.length).toBe(3); // 4 steps, the first skipped: the Camera Path warps tiny-flow's start
    expect(ws.previews.length).toBeGreaterThanOrEqual(1);
    const rec = await waitForRun(server.url, runId);
    expect(rec.status).toBe('succeeded');
    expect(rec.outputs[0]).toMatchObject({ nodeId: id('SaveVideo'), mime: 'video/mp4' });
    ws.close();
  });
});
