import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostServices, createNodeRegistry, type HostServices } from '@kinegraph/nodes';
import { withInputFolders, recordedInputFolders } from '../files/input-folders.js';
import { checkWorkflow } from './check-workflow.js';
import { prepareRuns } from './prepare-run.js';

let dir: string;
let services: HostServices;
const registry = createNodeRegistry();
const doc = (nodes: Record<string, unknown>, meta?: Record<string, unknown>) => ({
  format: 'kinegraph.workflow',
  version: 1,
  nodes,
  ...(meta ? { meta } : {}),
});
const check = (d: unknown, o: { targets?: string[]; force?: string[] } = {}) =>
  checkWorkflow(d, { registry, services, hashFile: (ref) => services.hashFile(ref), ...o });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kg-check-'));
  services = createHostServices({
    inputDir: dir,
    outputDir: path.join(dir, 'output'),
    tempDir: path.join(dir, 'temp'),
    modelsDir: path.join(dir, 'models'),
  });
  await writeFile(path.join(dir, 'a.jpg'), 'bytes');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('checkWorkflow', () => {
  it('passes a runnable workflow with its file hashes and node versions', async () => {
    const r = await check(
      doc({ load: { type: 'LoadImage', params: { image: 'a.jpg' } }, save: { type: 'SaveImage', inputs: { image: ['load', 'image'] } } }),
    );
    expect(r.ok).toBe(true);
    expect(Object.keys(r.inputHashes)).toEqual(['a.jpg']);
    expect(r.inputHashes['a.jpg']).toMatch(/^[0-9a-f]{64}$/);
    expect(r.nodeVersions).toHaveProperty('LoadImage');
  });

  it('reports a bad parameter, a missing file and a missing output node all at once', async () => {
    const r = await check(
      doc({
        load: { type: 'LoadImage', params: { image: 'gone.jpg' } },
        resize: { type: 'ResizeImage', params: { width: 'wide' }, inputs: { image: ['load', 'image'] } },
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'resize', field: 'width' }),
        expect.objectContaining({ code: 'no_outputs' }),
        { code: 'invalid_param', nodeId: 'load', field: 'image', message: 'File "gone.jpg" not found' },
      ]),
    );
  });

  it('counts an output node with a bad parameter as an output node', async () => {
    const r = await check(
      doc({
        load: { type: 'LoadImage', params: { image: 'a.jpg' } },
        save: { type: 'SaveImage', params: { filename_prefix: '../x' }, inputs: { image: ['load', 'image'] } },
      }),
    );
    expect(r.issues.map((i) => i.code)).not.toContain('no_outputs');
    expect(r.issues).toEqual([expect.objectContaining({ nodeId: 'save', field: 'filename_prefix' })]);
  });

  it('refuses targets and forced nodes that are no node of the workflow, naming the nodes there are', async () => {
    const wf = doc({
      load: { type: 'LoadImage', params: { image: 'a.jpg' } },
      save: { type: 'SaveImage', inputs: { image: ['load', 'image'] } },
    });
    const r = await check(wf, { targets: ['sav'], force: ['lod'] });
    expect(r.issues).toEqual([
      { code: 'unknown_target', nodeId: 'lod', message: 'Forced node "lod" is not a node of the workflow (nodes: load, save)' },
      { code: 'unknown_target', nodeId: 'sav', message: 'Target "sav" is not a node of the workflow (nodes: load, save)' },
    ]);
  });
});

describe('recorded input folders', () => {
  it("are written relative to the output folder and read back against the file's folder", () => {
    const out = path.join(dir, 'output');
    const stamped = withInputFolders(doc({}, { name: 'x' }), [path.join(dir, 'input'), path.join(dir, 'input')], out);
    expect(stamped.meta).toEqual({ name: 'x', inputFolders: ['../input'] });
    expect(recordedInputFolders(stamped, out)).toEqual([path.join(dir, 'input')]);
    // None found: the key goes (and an otherwise empty meta with it).
    expect(withInputFolders(doc({}, { inputFolders: ['../old'] }), [], out)).toEqual(doc({}));
    // Anything malformed counts as no record.
    expect(recordedInputFolders(doc({}, { inputFolders: 'nope' }), out)).toEqual([]);
    expect(recordedInputFolders(doc({}, { inputFolders: ['bad\u0000name'] }), out)).toEqual([]);
  });

  it('are stamped by the server on what it runs: its input folder, seen from its output folder', async () => {
    const prepared = await prepareRuns(
      doc({ load: { type: 'LoadImage', params: { image: 'a.jpg' } }, save: { type: 'SaveImage', inputs: { image: ['load', 'image'] } } }),
      {
        registry,
        services,
        hashFile: (ref) => services.hashFile(ref),
        batch: 1,
      },
    );
    expect(prepared.ok && prepared.runs[0].workflow.meta).toEqual({ inputFolders: ['..'] });
  });
});
