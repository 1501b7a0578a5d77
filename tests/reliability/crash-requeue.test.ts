import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, removeDir, startTestServer, tempDir, waitForRun, WsProbe } from '../server/harness.js';
import { longVideoWorkflow, startChildServer, type ChildServer } from './child-server.js';

/** Fault 5 of issue 12: a run cut short by a crash is run again once, and its record keeps the node states. */
describe('a run interrupted by a crash (kill -9)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await removeDir(d);
  });
  let wf: Record<string, unknown>;

  async function fresh() {
    const dir = await tempDir('kg-crash-');
    dirs.push(dir);
    wf = await longVideoWorkflow(dir, 3);
    return dir;
  }

  /**
   * Waits until `runId` is encoding (frames are decoded and upscaled as the encoder pulls them, so all three nodes
   * run) and its record on disk says so, then kills the server. Returns that record.
   */
  async function killMidRun(server: ChildServer, dir: string, runId: string) {
    const ws = await WsProbe.open(server.url);
    await ws.until((p) => p.events.some((e) => e.type === 'progress' && e.runId === runId && e.nodeId === 'save'), 120_000);
    const file = path.join(dir, 'runs', 'queue', `${runId}.json`);
    let left: any;
    for (;;) {
      left = JSON.parse(await readFile(file, 'utf8'));
      if (left.nodes.save?.status === 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    ws.close();
    return left;
  }
  const interrupted = (nodes: Record<string, { status: string }>) =>
    Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, n.status === 'running' ? { status: 'interrupted' } : n]));

  it('is requeued once on restart, says so in its record, and runs to the end', { timeout: 300_000 }, async () => {
    const dir = await fresh();
    const a = await startChildServer(dir);
    const runId: string = (await api(a.url, '/api/runs', { method: 'POST', json: { workflow: wf } })).body.runs[0].runId;
    // What the crash left: the run's own record, with the node states as they were.
    const left = await killMidRun(a, dir, runId);
    expect(left.status).toBe('running');
    expect(Object.keys(left.nodes).sort()).toEqual(['load', 'save', 'up']);
    expect(left.nodes.save).toEqual({ status: 'running' });

    const b = await startTestServer(dir);
    try {
      const rec = await waitForRun(b.url, runId, 120_000);
      expect(rec).toMatchObject({ status: 'succeeded', attempt: 2, requeuedAfterCrash: true });
      expect(rec.previousAttempts).toEqual([{ attempt: 1, startedAt: left.startedAt, nodes: interrupted(left.nodes) }]);
      expect(rec.nodes.save.status).toBe('executed');
      expect(rec.outputs).toHaveLength(1);
      expect(b.logs.join('\n')).toMatch(new RegExp(`run ${runId} was cut short by a crash; running it again \\(attempt 2\\)`));
    } finally {
      await b.close();
    }
  });

  it('is recorded failed, with its node states, when the second attempt crashes too', { timeout: 300_000 }, async () => {
    const dir = await fresh();
    const a = await startChildServer(dir);
    const runId: string = (await api(a.url, '/api/runs', { method: 'POST', json: { workflow: wf, force: ['load'] } })).body.runs[0].runId;
    const first = await killMidRun(a, dir, runId);
    const b = await startChildServer(dir);
    const during = (await api(b.url, `/api/history/${runId}`)).body;
    expect(during).toMatchObject({ attempt: 2, requeuedAfterCrash: true });
    expect(['queued', 'running']).toContain(during.status);
    const second = await killMidRun(b, dir, runId);

    const c = await startTestServer(dir);
    try {
      const rec = (await api(c.url, `/api/history/${runId}`)).body;
      expect(rec).toMatchObject({
        status: 'failed',
        attempt: 2,
        requeuedAfterCrash: true,
        error: { message: 'server stopped during the run' },
      });
      expect(rec.nodes).toEqual(interrupted(second.nodes));
      expect(rec.nodes.save).toEqual({ status: 'interrupted' });
      expect(rec.previousAttempts).toEqual([{ attempt: 1, startedAt: first.startedAt, nodes: interrupted(first.nodes) }]);
      expect((await api(c.url, '/api/queue')).body).toMatchObject({ running: null, pending: [] });
    } finally {
      await c.close();
    }
  });
});
