import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '@kinegraph/graph-core';
import { createHostServices, createNodeRegistry, type HostServices } from '@kinegraph/nodes';
import { checkWorkflow } from '../../apps/runtime/src/server/run/check-workflow.js';
import { FAST, makeTestMp4, withMiniMax } from '../../packages/nodes/src/minimax/testing/fixtures.js';
import { startStandIn, type StandIn } from '../../packages/nodes/src/minimax/testing/stand-in.js';
import { binPath, repoRoot } from '../cli/cli-harness.js';

/**
 * The shipped MiniMax workflow, end to end against the local stand-in: refused without a key at validation
 * (CLI and the runtime's check), run by the CLI with a disk cache (a rerun that changes only the output
 * settings pays MiniMax nothing), and through the engine: the key is no part of any cache key, event or file.
 */
const KEY = `mmx-${randomUUID()}`;
const SUBMIT = '/v1/video_generation';
const shipped = path.join(repoRoot, 'workflows', 'minimax-director.json');
let st: StandIn;
let root: string;
let saved: string | undefined;

beforeAll(async () => {
  saved = process.env.MINIMAX_API_KEY;
  delete process.env.MINIMAX_API_KEY;
  root = await mkdtemp(path.join(tmpdir(), 'kinegraph-minimax-wf-'));
  st = await startStandIn(await makeTestMp4(), KEY);
});
afterAll(async () => {
  await st.close();
  await rm(root, { recursive: true, force: true });
  if (saved !== undefined) process.env.MINIMAX_API_KEY = saved;
});
beforeEach(() => {
  st.requests.length = 0;
  st.script = { submit: [], query: [], retrieve: [], download: [] };
  st.next = { pollsUntilDone: 1 };
});

/** The real `kinegraph` bin with an environment of the test's choosing (no key, no real config folder). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MINIMAX_')));
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: root,
      env: { ...base, FORCE_COLOR: '0', XDG_CONFIG_HOME: path.join(root, 'config'), ...env },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('workflows/minimax-director.json', () => {
  it('without a key is refused at validation, saying where the key goes', async () => {
    const r = await cli(['validate', shipped], {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^minimax: No MiniMax API key: set MINIMAX_API_KEY in the environment of the server or CLI, or put the key alone in \$XDG_CONFIG_HOME\/kinegraph\/minimax\.key/m,
    );
    // That is the only problem: the document itself is valid.
    expect(r.out.match(/^\S+: /gm)).toEqual(['minimax: ']);
  });

  it('the runtime check refuses it without a key and accepts it with one, listing nothing else', async () => {
    const dataKeys = path.join(root, 'data', 'keys');
    const host = createHostServices({
      inputDir: path.join(root, 'input'),
      outputDir: path.join(root, 'output'),
      tempDir: path.join(root, 'temp'),
      modelsDir: path.join(root, 'models'),
      searchDirs: [path.join(repoRoot, 'workflows')],
      keyFolders: [{ dir: dataKeys, label: 'keys/minimax.key in the data folder' }],
    });
    const doc = JSON.parse(await readFile(shipped, 'utf8'));
    const o = { registry: createNodeRegistry(), services: host, hashFile: (ref: string) => host.hashFile(ref) };
    const refused = await checkWorkflow(doc, o);
    expect(refused.ok).toBe(false);
    expect(refused.issues).toEqual([
      {
        code: 'invalid_param',
        nodeId: 'minimax',
        message: expect.stringContaining('put the key alone in keys/minimax.key in the data folder'),
      },
    ]);
    await import('node:fs/promises').then((fs) => fs.mkdir(dataKeys, { recursive: true }));
    await writeFile(path.join(dataKeys, 'minimax.key'), KEY);
    const accepted = await checkWorkflow(doc, o);
    expect(accepted.issues).toEqual([]);
    expect(accepted.ok).toBe(true);
    expect(JSON.stringify(accepted)).not.toContain(KEY);
  });

  it('runs from the CLI; a rerun that changes only the output settings reuses the clip from the disk cache', async () => {
    const env = { MINIMAX_API_KEY: KEY, MINIMAX_API_BASE: st.base };
    const out = path.join(root, 'cli-out');
    const cache = path.join(root, 'cli-cache');
    const first = await cli(['run', shipped, '--out', out, '--cache', cache], env);
    expect(first.code, first.out).toBe(0);
    expect(st.requests.filter((r) => r.path === SUBMIT).length).toBe(1);
    const again = await cli(['run', shipped, '--out', out, '--cache', cache, '--set', 'save.quality=60'], env);
    expect(again.code, again.out).toBe(0);
    expect(st.requests.filter((r) => r.path === SUBMIT).length).toBe(1);
    const files = (await readdir(out)).filter((f) => f.endsWith('.mp4'));
    expect(files.length).toBe(2);
    for (const f of files) expect((await readFile(path.join(out, f))).includes(KEY)).toBe(false);
    expect(first.out + again.out).not.toContain(KEY);
    expect(first.out).toMatch(/task_id: STRING "\d+"/);
  });
});

describe('MiniMax through the engine', () => {
  let host: HostServices;
  let keyDir: string;
  let engine: Engine;
  const events: EngineEvent[] = [];
  const submits = () => st.requests.filter((r) => r.path === SUBMIT).length;
  const run = async (edit: (doc: any) => void = () => {}) => {
    const doc = JSON.parse(await readFile(shipped, 'utf8'));
    edit(doc);
    return engine.run(doc, { onEvent: (e) => events.push(e) });
  };

  beforeAll(async () => {
    keyDir = path.join(root, 'engine-keys');
    await import('node:fs/promises').then((fs) => fs.mkdir(keyDir, { recursive: true }));
    host = createHostServices({
      inputDir: path.join(root, 'engine-input'),
      outputDir: path.join(root, 'engine-output'),
      tempDir: path.join(root, 'engine-temp'),
      modelsDir: path.join(root, 'models'),
      searchDirs: [path.join(repoRoot, 'workflows')],
    });
    const services = withMiniMax(host, [{ dir: keyDir, label: 'the test key file' }], { ...FAST, apiBase: st.base });
    engine = new Engine({ registry: createNodeRegistry(), services, hashFile: (ref) => host.hashFile(ref) });
  });

  it('caches on the request, not the key, and never on a failure', async () => {
    await writeFile(path.join(keyDir, 'minimax.key'), KEY);
    const first = await run();
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.executed).toEqual(['image', 'minimax', 'save']);
    expect(submits()).toBe(1);
    expect(first.ui.minimax!.map((u) => u.text).join('\n')).toMatch(
      /^MiniMax task \d+: MiniMax-Hailuo-2\.3, 6 s at 768P, 320x180, 24 frames; about \$0\.28/,
    );

    // Only the output changes: MiniMax's clip comes from the cache.
    const second = await run((d) => (d.nodes.save.params.quality = 70));
    expect(second.cached).toContain('minimax');
    expect(submits()).toBe(1);

    // Another key (another account) asks for the same clip: still the cached one.
    await writeFile(path.join(keyDir, 'minimax.key'), `${KEY}-other`);
    const third = await run((d) => (d.nodes.save.params.quality = 60));
    expect(third.status).toBe('succeeded');
    expect(third.cached).toContain('minimax');
    expect(submits()).toBe(1);
    await writeFile(path.join(keyDir, 'minimax.key'), KEY);

    // A new prompt is a new request; a failed one is not cached, so the rerun asks again.
    const prompt = (d: any) => (d.nodes.minimax.params.prompt = 'Boats on the shore at dusk [Pan right]');
    st.script.submit.push({ status: 500, text: 'Internal Server Error' });
    const failed = await run(prompt);
    expect(failed.status).toBe('failed');
    expect(failed.error!.message).toContain('MiniMax answered HTTP 500');
    const retried = await run(prompt);
    expect(retried.status).toBe('succeeded');
    expect(retried.executed).toContain('minimax');
    expect(submits()).toBe(3);

    expect(JSON.stringify(events)).not.toContain(KEY);
    expect(JSON.stringify([first, second, third, failed, retried].map((r) => r.ui))).not.toContain(KEY);
  });
});
