import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinegraph, repoRoot, resizeWorkflow, scratchWithPhoto, writeJson } from './cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await scratchWithPhoto();
  await writeJson(path.join(dir, 'good.json'), resizeWorkflow('photo.jpg'));
  const bad = resizeWorkflow('photo.jpg') as { nodes: Record<string, any> };
  bad.nodes.resize.params.width = 'wide';
  bad.nodes.save.inputs.image = ['nowhere', 'image'];
  bad.nodes.extra = { type: 'NoSuchNode', params: {} };
  await writeJson(path.join(dir, 'bad.json'), bad);
  await writeFile(path.join(dir, 'broken.json'), '{ "format": ');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kinegraph validate', () => {
  it('accepts a valid workflow', async () => {
    const r = await kinegraph(['validate', 'good.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid \(3 nodes\)/);
  });

  it('lists every problem and exits 1; --json gives them as data', async () => {
    const r = await kinegraph(['validate', 'bad.json', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.ok).toBe(false);
    const where = result.issues.map((i: { nodeId?: string; field?: string }) => `${i.nodeId}.${i.field ?? ''}`);
    expect(where).toEqual(expect.arrayContaining(['resize.width', 'save.image', 'extra.type']));
    const human = await kinegraph(['validate', 'bad.json'], { cwd: dir });
    expect(human.stderr).toMatch(/^resize\.width: /m);
    expect(human.stderr).toMatch(/^extra\.type: .*NoSuchNode/m);
  });

  // validate and run share one check: what run refuses before running, validate reports, with the same issues.
  it('reports a workflow with no output node, as run refuses it', async () => {
    await writeJson(path.join(dir, 'no-output.json'), {
      format: 'kinegraph.workflow',
      version: 1,
      nodes: { load: { type: 'LoadImage', params: { image: 'photo.jpg' } } },
    });
    const v = await kinegraph(['validate', 'no-output.json', '--json'], { cwd: dir });
    const r = await kinegraph(['run', 'no-output.json', '--out', 'never', '--json'], { cwd: dir });
    expect([v.code, r.code]).toEqual([1, 1]);
    const validated = JSON.parse(v.stdout);
    expect(validated).toMatchObject({ ok: false, issues: [{ code: 'no_outputs', message: expect.stringMatching(/no output node/) }] });
    expect(JSON.parse(r.stdout)).toEqual({ type: 'validation_failed', issues: validated.issues });
    expect((await kinegraph(['validate', 'no-output.json'], { cwd: dir })).stderr).toMatch(
      /is not valid \(1 problem\):\nThe workflow has no output node/,
    );
  });

  it('reports a missing input file, as run refuses it, naming the folders searched', async () => {
    await writeJson(path.join(dir, 'missing-photo.json'), resizeWorkflow('holiday/beach.jpg'));
    const v = await kinegraph(['validate', 'missing-photo.json', '--json'], { cwd: dir });
    const r = await kinegraph(['run', 'missing-photo.json', '--out', 'never', '--json'], { cwd: dir });
    expect([v.code, r.code]).toEqual([1, 1]);
    const validated = JSON.parse(v.stdout);
    expect(validated.ok).toBe(false);
    expect(validated.issues).toEqual([
      {
        code: 'invalid_param',
        nodeId: 'load',
        field: 'image',
        message: expect.stringMatching(/^File "holiday\/beach\.jpg" not found \(looked in .*kinegraph-cli-/),
      },
    ]);
    expect(JSON.parse(r.stdout)).toEqual({ type: 'validation_failed', issues: validated.issues });
    // --input-dir works for validate as for run.
    const elsewhere = path.join(dir, 'elsewhere');
    await mkdir(path.join(elsewhere, 'holiday'), { recursive: true });
    await copyFile(path.join(dir, 'photo.jpg'), path.join(elsewhere, 'holiday', 'beach.jpg'));
    const found = await kinegraph(['validate', 'missing-photo.json', '--input-dir', elsewhere], { cwd: dir });
    expect(found.code, found.stderr).toBe(0);
    // Nothing was written by either refusal.
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  });

  it('reports an unknown model, as run refuses it', async () => {
    const wf = {
      format: 'kinegraph.workflow',
      version: 1,
      nodes: {
        model: { type: 'LoadModel', params: { model: 'builtin/no-such-model' } },
        load: { type: 'LoadImage', params: { image: 'photo.jpg' } },
        save: { type: 'SaveImage', inputs: { image: ['load', 'image'] } },
      },
    };
    await writeJson(path.join(dir, 'bad-model.json'), wf);
    const v = await kinegraph(['validate', 'bad-model.json', '--json'], { cwd: dir });
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).issues).toEqual([
      expect.objectContaining({
        nodeId: 'model',
        field: 'model',
        message: expect.stringMatching(/Unknown model "builtin\/no-such-model"/),
      }),
    ]);
  });

  it('says so when the file is not JSON', async () => {
    const r = await kinegraph(['validate', 'broken.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json is not valid JSON/);
    // --json answers on stdout too, so a script never gets an empty stdout.
    const json = await kinegraph(['validate', 'broken.json', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      issues: [{ code: 'invalid_document', message: expect.stringMatching(/not valid JSON/) }],
    });
  });
});

describe('kinegraph nodes', () => {
  it('describes every node type with parameter schemas and UI hints', async () => {
    const r = await kinegraph(['nodes', '--json'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    const nodes = JSON.parse(r.stdout) as Array<{
      type: string;
      params: Array<{ name: string; hint: { widget: string }; schema: unknown }>;
    }>;
    const resize = nodes.find((n) => n.type === 'ResizeImage')!;
    expect(resize.params.find((p) => p.name === 'mode')!.hint.widget).toBe('choice');
    expect(nodes.map((n) => n.type)).toEqual(expect.arrayContaining(['LoadImage', 'SaveImage', 'SaveVideo', 'Seed']));
  });
});

describe('kinegraph serve options', () => {
  // Before: a port over 65535 passed the option check, the editor was rebuilt, then Node's own message came out.
  it('refuses a port out of range before starting anything', async () => {
    const r = await kinegraph(['serve', '--port', '99999', '--data', path.join(dir, 'never')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--port <port>' argument '99999' is invalid\. Not a port number \(0-65535\)/);
  });
});
