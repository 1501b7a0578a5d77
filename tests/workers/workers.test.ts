import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '@kinegraph/nodes';
import { findRedisServer, repoRoot, startRedis, startServer, startWorker, type Child } from './harness.js';

/**
 * A server with its queue in a real Redis and two `kinegraph worker` processes on the same data folder, as on
 * two machines sharing a folder: a sweep fans out over both, a worker killed mid-run loses nothing, events from
 * every worker reach a WebSocket client, and a job that names a file outside the data folder is refused.
 */
const redisBin = findRedisServer();
if (!redisBin) console.warn('tests/workers skipped: redis-server is not on PATH (apt-get install redis-server; .ci/run installs it)');

type Rec = {
  runId: string;
  status: string;
  variant?: Record<string, unknown>;
  worker?: string;
  attempt?: number;
  requeuedAfterCrash?: boolean;
  outputs: Array<{ filename: string }>;
  error?: { message: string };
};

/** The default workflow made small and short: 256x144, 1 s at 12 fps (seconds per variant). */
async function tinyWorkflow(overrides: { duration?: number; fps?: number } = {}): Promise<Record<string, any>> {
  const wf = JSON.parse(await readFile(path.join(repoRoot, 'workflows/photo-to-video.json'), 'utf8'));
  Object.assign(wf.nodes.encode.params, { resolution: 'custom', width: 256, height: 144 });
  Object.assign(wf.nodes.denoise.params, { duration: overrides.duration ?? 1, fps: overrides.fps ?? 12 });
  delete wf.ui;
  return wf;
}

describe.skipIf(!redisBin)('workers on Redis (BullMQ)', { timeout: 120_000 }, () => {
  let dataDir: string;
  let redis: { url: string; child: Child };
  let server: { url: string; child: Child };
  const workers: Child[] = [];
  let ws: WebSocket;
  const wsEvents: Array<{ type: string; runId?: string; nodeId?: string }> = [];

  const post = async (body: unknown) => {
    const res = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { runs: Array<{ runId: string }> }).runs.map((r) => r.runId);
  };
  const record = async (runId: string): Promise<Rec> => (await (await fetch(`${server.url}/api/history/${runId}`)).json()) as Rec;
  /** Polls history until every run has ended. */
  const allEnded = async (ids: string[], timeoutMs = 90_000): Promise<Rec[]> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const recs = await Promise.all(ids.map(record));
      if (recs.every((r) => !['queued', 'running'].includes(r.status))) return recs;
      if (Date.now() > until)
        throw new Error(
          `runs still going: ${JSON.stringify(recs.map((r) => [r.runId, r.status, r.worker]))}\n${workers.map((w) => w.output.slice(-1500)).join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const outputs = async () => (await readdir(path.join(dataDir, 'output'))).sort();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kinegraph-workers-'));
    redis = await startRedis(redisBin!);
    server = await startServer(dataDir, redis.url);
    workers.push(...(await Promise.all([startWorker('w1', dataDir, redis.url), startWorker('w2', dataDir, redis.url)])));
    ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
    ws.on('message', (data, binary) => {
      if (binary) return;
      const msg = JSON.parse(data.toString()) as { type: string; event?: { type: string; runId?: string; nodeId?: string } };
      if (msg.type === 'event' && msg.event) wsEvents.push(msg.event);
    });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  });

  afterAll(async () => {
    ws?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await server?.child.stop();
    await redis?.child.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a 12-variant sweep fans out over both workers: every variant runs exactly once, events reach the WebSocket', async () => {
    const ids = await post({ workflow: await tinyWorkflow(), sweep: ['denoise.seed=1..12'] });
    expect(ids).toHaveLength(12);
    const recs = await allEnded(ids);
    expect(recs.map((r) => r.status)).toEqual(Array(12).fill('succeeded'));
    expect(recs.map((r) => r.variant?.['denoise.seed']).sort((a, b) => Number(a) - Number(b))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    // Both workers took part.
    expect(new Set(recs.map((r) => r.worker))).toEqual(new Set(['w1', 'w2']));
    // One file per variant in the shared output folder, named by its seed; no other file appeared.
    const files = await outputs();
    const expected = ids.map((_, i) => `photo-to-video_seed-${i + 1}_00001.mp4`).sort();
    expect(files.filter((f) => !f.startsWith('.'))).toEqual(expected);
    expect(recs.flatMap((r) => r.outputs.map((o) => o.filename)).sort()).toEqual(expected);
    // Each worker's events went through Redis to the server's WebSocket clients, the end of each run included.
    for (const id of ids) {
      expect(wsEvents.some((e) => e.type === 'run_started' && e.runId === id)).toBe(true);
      expect(wsEvents.some((e) => e.type === 'node_finished' && e.runId === id && e.nodeId === 'save')).toBe(true);
      expect(wsEvents.filter((e) => e.type === 'run_finished' && e.runId === id)).toHaveLength(1);
    }
    // The queue is empty again, in Redis too.
    const queue = (await (await fetch(`${server.url}/api/queue`)).json()) as { running: unknown; pending: unknown[] };
    expect(queue).toMatchObject({ running: null, pending: [] });
  });

  it('kill -9 of a worker mid-run loses nothing: the other worker runs its job again, one whole file per variant', async () => {
    const before = new Set(await outputs());
    // Longer clips (4 s at 24 fps), so the kill lands while the worker is busy.
    const ids = await post({ workflow: await tinyWorkflow({ duration: 4, fps: 24 }), sweep: ['denoise.seed=101..104'] });
    const [victim, survivor] = workers as [Child, Child];
    const started = await victim.waitFor(new RegExp(`running (${ids.join('|')})`), 60_000);
    const killedRun = started[1]!;
    victim.proc.kill('SIGKILL');
    await victim.exited;

    const recs = await allEnded(ids);
    expect(recs.map((r) => r.status)).toEqual(Array(4).fill('succeeded'));
    const again = recs.find((r) => r.runId === killedRun)!;
    expect(again).toMatchObject({ worker: survivor.name, attempt: 2, requeuedAfterCrash: true });
    expect(survivor.output).toContain(`running ${killedRun} (attempt 2)`);
    // Exactly one finished file per variant; each is a whole, playable video (96 frames).
    const added = (await outputs()).filter((f) => !before.has(f) && !f.startsWith('.'));
    expect(added).toEqual([
      'photo-to-video_seed-101_00001.mp4',
      'photo-to-video_seed-102_00001.mp4',
      'photo-to-video_seed-103_00001.mp4',
      'photo-to-video_seed-104_00001.mp4',
    ]);
    // At most the killed attempt's hidden partial file is left (when the kill came during its save); the retry left none.
    const hidden = (await outputs()).filter((f) => !before.has(f) && f.startsWith('.'));
    expect(hidden.length).toBeLessThanOrEqual(1);
    for (const f of hidden) expect(f).toMatch(/^\.[0-9a-f]{12}\.partial\.mp4$/);
    for (const f of added) {
      const video = (await probe(path.join(dataDir, 'output', f))).streams.find((s) => s.codec_type === 'video');
      expect(Number(video?.nb_frames), f).toBe(96);
    }
  });

  it('a job naming a file outside the data folder is refused by the worker, even when it never passed the server', async () => {
    const wf = await tinyWorkflow();
    wf.nodes.image.params.image = '/etc/hostname';
    // Straight into Redis, as anyone who can reach it could: the worker's own check is what stands.
    const queue = new Queue('runs', { connection: { host: '127.0.0.1', port: Number(new URL(redis.url).port) }, prefix: 'kinegraph' });
    const runId = `rforged-${Date.now().toString(36)}`;
    const rec = {
      runId,
      status: 'queued',
      createdAt: Date.now(),
      workflow: wf,
      inputHashes: {},
      nodeVersions: {},
      models: {},
      nodes: {},
      outputs: [],
    };
    await queue.add('run', rec, { jobId: runId });
    await queue.close();
    const until = Date.now() + 30_000;
    let got: Rec | undefined;
    while (Date.now() < until) {
      const res = await fetch(`${server.url}/api/history/${runId}`);
      if (res.status === 200) {
        got = (await res.json()) as Rec;
        if (got.status !== 'queued' && got.status !== 'running') break;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(got?.status).toBe('failed');
    expect(got?.error?.message).toMatch(/Absolute paths are not allowed/);
    expect(got?.outputs).toEqual([]);
  });

  it('pause, cancel and interrupt reach the workers through Redis', async () => {
    const survivor = workers[1]!;
    expect((await fetch(`${server.url}/api/queue/pause`, { method: 'POST' })).status).toBe(200);
    const [first, second, third] = (await post({
      workflow: await tinyWorkflow({ duration: 12, fps: 24 }),
      sweep: ['denoise.seed=201..203'],
    })) as [string, string, string];
    await new Promise((r) => setTimeout(r, 1500));
    const paused = (await (await fetch(`${server.url}/api/queue`)).json()) as {
      paused: boolean;
      running: unknown;
      pending: Array<{ runId: string }>;
    };
    expect(paused).toMatchObject({ paused: true, running: null });
    expect(paused.pending.map((p) => p.runId)).toEqual([first, second, third]);
    expect(survivor.output).not.toContain(`running ${first}`);

    const cancel = await fetch(`${server.url}/api/queue/${third}`, { method: 'DELETE' });
    expect(await cancel.json()).toEqual({ runId: third, result: 'cancelled' });
    expect((await record(third)).status).toBe('cancelled');

    expect((await fetch(`${server.url}/api/queue/resume`, { method: 'POST' })).status).toBe(200);
    await survivor.waitFor(new RegExp(`running ${first}`), 30_000);
    const until = Date.now() + 30_000;
    while (!wsEvents.some((e) => e.type === 'node_started' && e.runId === first && e.nodeId === 'denoise') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    const interrupt = await fetch(`${server.url}/api/interrupt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ runId: first }),
    });
    expect(await interrupt.json()).toEqual({ interrupted: first });
    const [a, b] = await allEnded([first, second]);
    expect(a!.status).toBe('interrupted');
    expect(b!.status).toBe('succeeded');
    expect(wsEvents.filter((e) => e.type === 'run_interrupted' && e.runId === first)).toHaveLength(1);
  });

  it('a server stopped mid-sweep records on its next start what the workers finished meanwhile', async () => {
    const survivor = workers[1]!;
    const ids = await post({ workflow: await tinyWorkflow(), sweep: ['denoise.seed=301..304'] });
    await server.child.stop();
    for (const id of ids) await survivor.waitFor(new RegExp(`succeeded ${id}`), 60_000);
    server = await startServer(dataDir, redis.url);
    const recs = await allEnded(ids);
    expect(recs.map((r) => r.status)).toEqual(Array(4).fill('succeeded'));
    const queue = (await (await fetch(`${server.url}/api/queue`)).json()) as { running: unknown; pending: unknown[] };
    expect(queue).toMatchObject({ running: null, pending: [] });
  });
});
