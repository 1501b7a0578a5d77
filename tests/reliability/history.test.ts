import { readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, removeDir, startTestServer, tempDir, waitForRun, workflow } from '../server/harness.js';

const dirs: string[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await removeDir(d);
});
async function start(dir?: string) {
  const d = dir ?? (await tempDir());
  if (!dir) dirs.push(d);
  const s = await startTestServer(d);
  servers.push(s);
  return { s, dir: d };
}

describe('history', () => {
  // Fault 9: run_finished used to reach the socket before the record was final (8 of 8 tries).
  it('is final when run_finished reaches a WebSocket client', async () => {
    const { s } = await start();
    const ws = new WebSocket(s.url.replace(/^http/, 'ws') + '/ws');
    await new Promise((r) => ws.once('open', r));
    const seen: Array<Promise<{ status: number; body: any }>> = [];
    // Asked the moment the message arrives, before anything else runs on this side.
    ws.on('message', (data, binary) => {
      if (binary) return;
      const m = JSON.parse(String(data));
      if (m.type === 'event' && m.event.type === 'run_finished') seen.push(api(s.url, `/api/history/${m.event.runId}`));
    });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await api(s.url, '/api/runs', {
        method: 'POST',
        json: { workflow: workflow({ s: { type: 'TestSteps', params: { steps: 2, delay_ms: 0, seed: i } } }) },
      });
      ids.push(r.body.runs[0].runId);
    }
    for (const id of ids) await waitForRun(s.url, id);
    while (seen.length < 8) await new Promise((r) => setTimeout(r, 20));
    for (const res of await Promise.all(seen)) {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('succeeded');
      expect(res.body.nodes).toEqual({ s: { status: 'executed', durationMs: expect.any(Number) } });
      expect(res.body.finishedAt).toEqual(expect.any(Number));
    }
    ws.close();
  });

  // Fault 8: history is paged from disk (limit + cursor), not loaded whole at start.
  it('pages newest first with a cursor, reading the records from disk', async () => {
    const first = await start();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await api(first.s.url, '/api/runs', {
        method: 'POST',
        json: { workflow: workflow({ s: { type: 'TestSteps', params: { steps: 1, delay_ms: 0, seed: i } } }) },
      });
      ids.push(r.body.runs[0].runId);
      await waitForRun(first.s.url, ids.at(-1)!);
    }
    const { s, dir } = first;
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const q = `/api/history?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await api(s.url, q);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(7);
      seen.push(...r.body.items.map((i: { runId: string }) => i.runId));
      cursor = r.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual([...ids].reverse());
    // A record removed from disk behind the server's back is gone from the answers too: nothing is held in memory.
    const historyDir = path.join(dir, 'runs', 'history');
    await unlink(path.join(historyDir, `${ids[3]}.json`));
    expect((await api(s.url, `/api/history/${ids[3]}`)).status).toBe(404);
    // A record added to the folder (another process, a restored backup) is listed after a restart.
    expect((await readdir(historyDir)).length).toBe(6);
    await writeFile(path.join(historyDir, 'not-a-record.json'), '{"broken');
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const again = await start(dir);
    const page = await api(again.s.url, '/api/history?limit=500');
    expect(page.body.items.map((i: { runId: string }) => i.runId)).toEqual([...ids].reverse().filter((id) => id !== ids[3]));
  });
});
