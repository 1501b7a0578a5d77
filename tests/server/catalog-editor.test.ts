import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodesResponseSchema, SystemInfoSchema } from '@kinegraph/runtime/protocol';
import { api, removeDir, startTestServer, tempDir, workflow } from './harness.js';

let dir: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
let base: string;

beforeAll(async () => {
  dir = await tempDir();
  const editor = path.join(dir, 'editor-dist');
  await mkdir(path.join(editor, 'assets'), { recursive: true });
  await writeFile(path.join(editor, 'index.html'), '<!doctype html><title>editor</title><div id="root"></div>');
  await writeFile(path.join(editor, 'assets', 'app.js'), 'console.log("editor")');
  const wfs = path.join(dir, 'workflows');
  await mkdir(wfs);
  await writeFile(
    path.join(wfs, 'default.json'),
    JSON.stringify({ ...workflow({ i: { type: 'Int' } }), meta: { name: 'Photo to video' } }),
  );
  await writeFile(path.join(wfs, 'notes.txt'), 'not a workflow');
  server = await startTestServer(dir, { editorDir: editor, workflowsDir: wfs });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});

describe('catalog routes', () => {
  it('describes every node type with inputs, outputs and parameter hints', async () => {
    const r = await api(base, '/api/nodes');
    const { nodes } = NodesResponseSchema.parse(r.body);
    const resize = nodes.find((n) => n.type === 'ResizeImage')!;
    expect(resize.inputs).toEqual([expect.objectContaining({ name: 'image', type: 'IMAGE', optional: false })]);
    expect(resize.params.find((p) => p.name === 'mode')).toMatchObject({ default: 'crop', hint: { widget: 'choice' } });
    const steps = nodes.find((n) => n.type === 'TestSteps')!;
    expect(steps.isOutput).toBe(true);
    expect(steps.params.find((p) => p.name === 'seed')!.hint.widget).toBe('seed');
  });

  it('lists and serves example workflows, refusing names that are not plain', async () => {
    expect((await api(base, '/api/workflows')).body).toEqual({ workflows: [{ name: 'default', title: 'Photo to video' }] });
    const wf = await api(base, '/api/workflows/default');
    expect(wf.body.nodes.i.type).toBe('Int');
    expect((await api(base, '/api/workflows/..%2Fsecret')).status).toBe(400);
    expect((await api(base, '/api/workflows/missing')).status).toBe(404);
  });

  it('reports system information: CPU, memory, providers, both cache tiers, queue', async () => {
    const info = SystemInfoSchema.parse((await api(base, '/api/system')).body);
    expect(info.cpu.cores).toBeGreaterThan(0);
    expect(info.device.requested).toBe('cpu');
    expect(info.device.active).toBe('cpu');
    expect(info.device.providers).toContain('cpu');
    expect(info.cache.memory).toHaveProperty('maxBytes');
    expect(info.cache.disk).toHaveProperty('entries');
    expect(info.queue).toEqual({ pending: 0, running: null, paused: false });
    expect((await api(base, '/api/models')).body).toEqual({ models: expect.any(Array) });
  });
});

describe('editor serving', () => {
  it('serves the built editor at / with a fallback for client routes, never for the API or assets', async () => {
    const root = await fetch(base + '/');
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="root">');
    expect(await (await fetch(base + '/workflows/mine')).text()).toContain('<div id="root">');
    expect(await (await fetch(base + '/assets/app.js')).text()).toContain('editor');
    expect((await fetch(base + '/assets/missing.js')).status).toBe(404);
    const api404 = await api(base, '/api/nothing-here');
    expect(api404.status).toBe(404);
    expect(api404.body.error.code).toBe('not_found');
  });

  it('says so at / when started without an editor', async () => {
    const d = await tempDir();
    const s = await startTestServer(d, { editorDir: path.join(d, 'no-such-dist') });
    try {
      const r = await fetch(s.url + '/');
      expect(r.status).toBe(503);
      expect(await r.text()).toContain('npm run build:editor');
    } finally {
      await s.close();
      await removeDir(d);
    }
  });
});
