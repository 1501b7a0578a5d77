import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, removeDir, startTestServer, tempDir, testJpeg, waitForRun, workflow, WsProbe } from './harness.js';

const dirs: string[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await removeDir(d);
});

async function fresh() {
  const dir = await tempDir();
  dirs.push(dir);
  return dir;
}
async function start(dir: string) {
  const s = await startTestServer(dir);
  servers.push(s);
  return s;
}
async function stop(s: { close(): Promise<void> }) {
  servers.splice(servers.indexOf(s), 1);
  await s.close();
}

/** A server in a fresh data folder with a long run under way (its first progress seen). */
async function serverMidRun() {
  const dir = await fresh();
  const a = await start(dir);
  const ws = await WsProbe.open(a.url);
  const r = await api(a.url, '/api/runs', {
    method: 'POST',
    json: { workflow: workflow({ s: { type: 'TestSteps', params: { steps: 100_000, delay_ms: 2 } } }) },
  });
  const runId: string = r.body.runs[0].runId;
  await ws.until((p) => p.events.some((e) => e.type === 'progress' && e.runId === runId));
  return { dir, a, ws, runId };
}

describe('restart persistence', () => {
  it('keeps queued runs queued (and the queue paused) and history across a restart', async () => {
    const dir = await fresh();
    const a = await start(dir);
    const done = await api(a.url, '/api/runs', {
      method: 'POST',
      json: { workflow: workflow({ s: { type: 'TestSteps', params: { steps: 1, seed: 1 } } }) },
    });
    const doneId = done.body.runs[0].runId;
    await waitForRun(a.url, doneId);
    await api(a.url, '/api/queue/pause', { method: 'POST' });
    const queued = await api(a.url, '/api/runs', {
      method: 'POST',
      json: { workflow: workflow({ s: { type: 'TestSteps', params: { steps: 1, seed: 2 } } }) },
    });
    const queuedId = queued.body.runs[0].runId;
    await stop(a);

    const b = await start(dir);
    const q = await api(b.url, '/api/queue');
    expect(q.body.paused).toBe(true);
    expect(q.body.pending.map((r: { runId: string }) => r.runId)).toEqual([queuedId]);
    expect((await api(b.url, `/api/history/${doneId}`)).body.status).toBe('succeeded');
    await api(b.url, '/api/queue/resume', { method: 'POST' });
    expect((await waitForRun(b.url, queuedId)).status).toBe('succeeded');
  });

  it('runs a run that was executing when the process died once more, then records it failed with the reason', async () => {
    const { dir, a, ws, runId } = await serverMidRun();
    // What a crash leaves behind: the run's own file saying it is running (node states as they were), no history entry.
    const runFile = path.join(dir, 'runs', 'queue', `${runId}.json`);
    // Node states are written as they change (a moment after the event went out).
    while (JSON.parse(await readFile(runFile, 'utf8')).nodes.s?.status !== 'running') await new Promise((r) => setTimeout(r, 20));
    await copyFile(runFile, runFile + '.crash');
    ws.close();
    await stop(a);
    await copyFile(runFile + '.crash', runFile);
    await rm(path.join(dir, 'runs', 'history', `${runId}.json`), { force: true });
    const left = JSON.parse(await readFile(runFile + '.crash', 'utf8'));
    expect(left).toMatchObject({ runId, status: 'running', nodes: { s: { status: 'running' } } });

    const b = await start(dir);
    const again = (await api(b.url, `/api/history/${runId}`)).body;
    expect(again).toMatchObject({
      attempt: 2,
      requeuedAfterCrash: true,
      previousAttempts: [{ attempt: 1, nodes: { s: { status: 'interrupted' } } }],
    });
    expect(['queued', 'running']).toContain(again.status);
    await stop(b);

    // The second attempt cut short too: recorded failed, not run a third time.
    await writeFile(runFile, JSON.stringify({ ...left, attempt: 2 }));
    await rm(path.join(dir, 'runs', 'history', `${runId}.json`), { force: true });
    const c = await start(dir);
    const rec = (await api(c.url, `/api/history/${runId}`)).body;
    expect(rec).toMatchObject({
      status: 'failed',
      attempt: 2,
      error: { message: 'server stopped during the run' },
      nodes: { s: { status: 'interrupted' } },
    });
    expect((await api(c.url, '/api/queue')).body).toMatchObject({ running: null, pending: [] });
  });

  it('a graceful stop mid-run records the run as failed with the same reason', async () => {
    const { dir, a, ws, runId } = await serverMidRun();
    ws.close();
    await stop(a);
    const b = await start(dir);
    const rec = (await api(b.url, `/api/history/${runId}`)).body;
    expect(rec).toMatchObject({ status: 'failed', error: { message: 'server stopped during the run' } });
  });

  it('reuses cached results from the disk tier after a restart', async () => {
    const dir = await fresh();
    const a = await start(dir);
    const up = await api(a.url, '/api/uploads?kind=image&filename=p.jpg', { method: 'POST', body: await testJpeg(400, 300) });
    const wf = workflow({
      load: { type: 'LoadImage', params: { image: up.body.name } },
      resize: { type: 'ResizeImage', params: { width: 96, height: 64 }, inputs: { image: ['load', 'image'] } },
      save: { type: 'SaveImage', inputs: { image: ['resize', 'image'] } },
    });
    const first = await api(a.url, '/api/runs', { method: 'POST', json: { workflow: wf } });
    const firstRec = await waitForRun(a.url, first.body.runs[0].runId);
    expect(firstRec.nodes.resize.status).toBe('executed');
    await stop(a); // flushes the disk tier

    const b = await start(dir);
    const ws = await WsProbe.open(b.url);
    // Force the output node so the resized picture must come back from disk (PNG in the cache folder).
    const again = await api(b.url, '/api/runs', { method: 'POST', json: { workflow: wf, force: ['save'] } });
    const runId = again.body.runs[0].runId;
    await ws.until((p) => p.runEnded(runId));
    const cached = ws.events.find((e) => e.type === 'node_cached' && e.runId === runId);
    expect(cached).toMatchObject({ nodeId: 'resize', tier: 'disk' });
    expect(ws.events.some((e) => e.type === 'node_started' && e.runId === runId && e.nodeId === 'resize')).toBe(false);
    const rec = await waitForRun(b.url, runId);
    expect(rec.status).toBe('succeeded');
    expect(rec.nodes.resize).toEqual({ status: 'cached', tier: 'disk' });
    expect(rec.nodes.save.status).toBe('executed');

    // The same pixels as the first run's output.
    const sharp = (await import('sharp')).default;
    const px = async (url: string) =>
      sharp(Buffer.from(await (await fetch(b.url + url)).arrayBuffer()))
        .raw()
        .toBuffer();
    expect((await px(rec.outputs[0].url)).equals(await px(firstRec.outputs[0].url))).toBe(true);

    const sys = await api(b.url, '/api/system');
    expect(sys.body.cache.disk.hits).toBeGreaterThanOrEqual(1);
    expect(sys.body.cache.disk.entries).toBeGreaterThanOrEqual(3);
    const freed = await api(b.url, '/api/cache/free?tier=all', { method: 'POST' });
    expect(freed.body.disk.entries).toBe(0);
    expect(freed.body.memory.entries).toBe(0);
    ws.close();
  });

  it('survives a corrupt history entry and a torn queue write', async () => {
    const dir = await fresh();
    const a = await start(dir);
    const r = await api(a.url, '/api/runs', {
      method: 'POST',
      json: { workflow: workflow({ s: { type: 'TestSteps', params: { steps: 1 } } }) },
    });
    await waitForRun(a.url, r.body.runs[0].runId);
    await stop(a);
    await writeFile(path.join(dir, 'runs', 'history', 'rbroken.json'), '{"runId": "rbroken", "sta');
    // write-file-atomic's temp file from a write that never got renamed, and a queue file damaged by hand.
    await writeFile(path.join(dir, 'runs', 'queue.json.123456'), '{"version":1,"paus');
    await writeFile(path.join(dir, 'runs', 'queue.json'), 'not json');
    const b = await start(dir);
    const page = await api(b.url, '/api/history');
    expect(page.body.items.map((i: { runId: string }) => i.runId)).toEqual([r.body.runs[0].runId]);
    expect((await api(b.url, '/api/queue')).body).toEqual({ paused: false, running: null, pending: [] });
    expect((b as unknown as { logs: string[] }).logs.join('\n')).toMatch(/queue file was unreadable/);
  });
});
