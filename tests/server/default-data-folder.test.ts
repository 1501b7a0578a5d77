import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../apps/runtime/src/cli/main.js';
import { REPO_ROOT } from '../../apps/runtime/src/server/repo-paths.js';
import { api, removeDir, startTestServer, tempDir, waitForRun, workflow } from './harness.js';

/**
 * `npm start` runs `kinegraph serve` with no --data, so the data folder is `.kinegraph/` in the current
 * directory: a dot folder. Every other test passes a plain temp folder and so never saw the file routes
 * refuse every file under it. The server starts here exactly as `serve` starts it without --data, from a
 * fresh working directory (no editor build: only the file routes are under test).
 */
const serve = buildProgram(() => {}).commands.find((c) => c.name() === 'serve')!;
const defaultData = serve.options.find((o) => o.long === '--data')!.defaultValue as string;

let cwd: string;
let dataDir: string;
let base: string;
let close: () => Promise<void>;
beforeAll(async () => {
  cwd = await tempDir('kg-fresh-cwd-');
  dataDir = path.resolve(cwd, defaultData);
  const s = await startTestServer(dataDir);
  base = s.url;
  close = () => s.close();
});
afterAll(async () => {
  await close?.();
  await removeDir(cwd);
});

async function get(route: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + route, { headers });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

describe('files under the default data folder', () => {
  it('is the dot folder .kinegraph/ of the working directory', () => {
    expect(defaultData).toBe('.kinegraph');
    expect(path.basename(dataDir)).toBe('.kinegraph');
  });

  it("serves the default workflow's example photo from the input folder", async () => {
    const r = await get('/files/input/assets%2Fevening-glow.jpg');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(r.bytes.equals(await readFile(path.join(REPO_ROOT, 'workflows/assets/evening-glow.jpg')))).toBe(true);
  });

  it('serves the video a run wrote to the output folder, whole and by range', async () => {
    const wf = workflow({
      load: { type: 'LoadVideo', params: { video: 'assets/clip.mp4' } },
      save: { type: 'SaveVideo', params: { format: 'mp4', filename_prefix: 'fresh' }, inputs: { video: ['load', 'video'] } },
    });
    const submitted = await api(base, '/api/runs', { method: 'POST', json: { workflow: wf } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const rec = await waitForRun(base, submitted.body.runs[0].runId, 120_000);
    expect(rec.status, JSON.stringify(rec).slice(0, 600)).toBe('succeeded');
    const out = rec.outputs.find((o: { nodeId: string }) => o.nodeId === 'save');
    expect(out).toMatchObject({ folder: 'output', filename: 'fresh_00001.mp4' });

    const onDisk = await readFile(path.join(dataDir, 'output', out.filename));
    const whole = await get(out.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.bytes.equals(onDisk)).toBe(true);
    // A <video> element seeks with ranges.
    const part = await get(out.url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(onDisk.subarray(100, 200))).toBe(true);
  });

  it('still refuses traversal and hidden files inside the folder', async () => {
    await writeFile(path.join(dataDir, 'secret.txt'), 'outside the folders');
    await writeFile(path.join(dataDir, 'input', '.hidden.jpg'), 'hidden');
    await symlink(path.join(dataDir, 'input', '.hidden.jpg'), path.join(dataDir, 'input', 'shown.jpg'));
    const attempts = [
      '/files/input/..%2Fsecret.txt',
      '/files/input/%2e%2e%2fsecret.txt',
      '/files/output/..%2Finput%2Fassets%2Fevening-glow.jpg',
      '/files/input/assets%2F..%2F..%2Fsecret.txt',
      '/files/input/.hidden.jpg',
      '/files/input/assets%2F.hidden.jpg',
      '/files/input/shown.jpg',
    ];
    for (const a of attempts) {
      const r = await get(a);
      expect([400, 404], a).toContain(r.status);
      expect(r.bytes.toString(), a).not.toMatch(/outside the folders|^hidden$/);
    }
  });
});
