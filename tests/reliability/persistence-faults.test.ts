import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, removeDir, startTestServer, tempDir, waitForRun, workflow } from '../server/harness.js';

/** Fault 1 of issue 12: a run answered 201 is never lost, whatever fails to save afterwards. */
const dirs: string[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await removeDir(d);
});
async function start(dir: string) {
  const s = await startTestServer(dir);
  servers.push(s);
  return s;
}
async function stop(s: { close(): Promise<void> }) {
  servers.splice(servers.indexOf(s), 1);
  await s.close();
}
const quick = (seed: number) => ({ workflow: workflow({ s: { type: 'TestSteps', params: { steps: 1, delay_ms: 0, seed } } }) });

describe('queue persistence', () => {
  it('keeps accepted runs when queue.json can not be written, and keeps accepting', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const a = await start(dir);
    await api(a.url, '/api/queue/pause', { method: 'POST' });
    // queue.json turned into a folder: every save of it fails (as a full disk or a broken file system would).
    const queueFile = path.join(dir, 'runs', 'queue.json');
    await rm(queueFile, { force: true });
    await mkdir(queueFile);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await api(a.url, '/api/runs', { method: 'POST', json: quick(i) });
      expect(r.status).toBe(201);
      ids.push(r.body.runs[0].runId);
    }
    expect((await api(a.url, '/api/queue')).body.pending.map((r: { runId: string }) => r.runId)).toEqual(ids);
    await stop(a);
    await rm(queueFile, { recursive: true });
    const b = await start(dir);
    const q = await api(b.url, '/api/queue');
    expect(q.body.pending.map((r: { runId: string }) => r.runId)).toEqual(ids);
    await api(b.url, '/api/queue/resume', { method: 'POST' });
    for (const id of ids) expect((await waitForRun(b.url, id)).status).toBe('succeeded');
  });

  it('does not drop the running or the pending runs when a history write fails', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const a = await start(dir);
    await api(a.url, '/api/queue/pause', { method: 'POST' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api(a.url, '/api/runs', { method: 'POST', json: quick(10 + i) })).body.runs[0].runId);
    // The history folder replaced by a file: finishing a run can not be recorded until it is back.
    const historyDir = path.join(dir, 'runs', 'history');
    await rename(historyDir, historyDir + '.away');
    await writeFile(historyDir, 'in the way');
    await api(a.url, '/api/queue/resume', { method: 'POST' });
    const logs = (a as unknown as { logs: string[] }).logs;
    while (!logs.some((l) => /could not record|retrying/.test(l))) await new Promise((r) => setTimeout(r, 50));
    await rm(historyDir);
    await rename(historyDir + '.away', historyDir);
    for (const id of ids) expect((await waitForRun(a.url, id, 60_000)).status).toBe('succeeded');
    expect((await api(a.url, '/api/history?limit=10')).body.items.map((i: { runId: string }) => i.runId).sort()).toEqual([...ids].sort());
    // The queue file is saved just after the last record is final: wait for that save, do not race it.
    const queueState = async () => JSON.parse(await readFile(path.join(dir, 'runs', 'queue.json'), 'utf8'));
    for (let i = 0; i < 200 && (await queueState()).running !== null; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queueState()).toMatchObject({ running: null, pending: [] });
  });
});
