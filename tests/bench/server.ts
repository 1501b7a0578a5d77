/**
 * `npm run bench:server` — the runtime server's own costs, measured on the real server, real sockets:
 *  1. progress latency: from a node's ctx.progress() call to the message arriving at a WebSocket client
 *     (clients run in a worker thread, so they do not share the server's event loop); median and p99.
 *  2. fan-out: the same with N clients connected (messages per second delivered in total).
 *  3. a slow client: a run sending large previews, timed with no client and with fast clients plus one
 *     client that stops reading; the run's wall time must not grow by more than 5%.
 *  4. submit → first event (run_started) latency over HTTP + WebSocket.
 *  5. disk cache tier: write and hit time for a 100 MB latent (safetensors), read by a freshly opened tier.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import WebSocket from 'ws';
import { defineNode, p, WORKFLOW_FORMAT, type NodeDefinition } from '@kinegraph/graph-core';
import { LatentValue } from '@kinegraph/nodes';
import { startServer } from '../../apps/runtime/src/server/start.js';
import { DiskCache } from '../../apps/runtime/src/server/cache/disk-cache.js';

const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- client worker
type ClientJob = { url: string; clients: number; slow: number };
type ClientReport = { arrivals: number[][]; previews: number[] };

/**
 * The clients, as plain JavaScript run in a worker thread (tsx does not load TS into workers). Clients with
 * index < slow stop reading right after the handshake. Arrival times use the same clock as the server thread.
 */
const CLIENT_CODE = `
const { parentPort, workerData: job } = require('node:worker_threads');
const WebSocket = require('ws');
const now = () => performance.timeOrigin + performance.now();
const arrivals = [], previews = [], sockets = [];
let done = 0;
for (let c = 0; c < job.clients; c++) {
  const ws = new WebSocket(job.url.replace(/^http/, 'ws') + '/ws');
  const mine = [];
  arrivals.push(mine);
  previews.push(0);
  const slow = c < job.slow;
  ws.on('open', () => {
    if (slow) ws._socket.pause();
    if (sockets.push(ws) === job.clients) parentPort.postMessage({ ready: true });
  });
  ws.on('message', (data, binary) => {
    const at = now();
    if (binary) { previews[c]++; return; }
    const msg = JSON.parse(String(data));
    if (msg.type !== 'event') return;
    const e = msg.event;
    if (e.type === 'progress') mine[e.value] = at;
    if ((e.type === 'run_finished' || e.type === 'run_interrupted' || e.type === 'run_failed') && !slow && ++done === job.clients - job.slow) {
      parentPort.postMessage({ report: { arrivals: arrivals.slice(job.slow), previews: previews.slice(job.slow) } });
      for (const s of sockets) s.terminate();
    }
  });
}
`;

function clientsInWorker(job: ClientJob): Promise<{ ready: Promise<void>; report: Promise<ClientReport> }> {
  const w = new Worker(CLIENT_CODE, { eval: true, workerData: job });
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  const report = new Promise<ClientReport>((resolve, reject) => {
    w.on('message', (m) => {
      if (m.ready) onReady();
      if (m.report) {
        resolve(m.report);
        void w.terminate();
      }
    });
    w.on('error', reject);
  });
  return Promise.resolve({ ready, report });
}

// ---------------------------------------------------------------- bench nodes
/** Progress time stamps, by step, of the latest BenchProgress run (same process as the server). */
let sentAt: number[] = [];

const BenchProgress = defineNode({
  type: 'BenchProgress',
  category: 'test',
  title: 'Bench progress',
  description: 'Calls progress once per step, yielding to the event loop between steps.',
  version: 1,
  inputs: {},
  outputs: { value: { type: 'INT' } },
  params: { steps: p.int({ default: 1000, min: 1, max: 1e7 }), seed: p.seed(), gap_ms: p.float({ default: 0.5, min: 0, max: 1000 }) },
  isOutput: true,
  cache: 'seeded',
  async execute(ctx, _i, params) {
    sentAt = new Array(params.steps + 1);
    for (let i = 1; i <= params.steps; i++) {
      // Spaced out like a sampler's steps (the metric is the latency of one message, not a flood).
      if (params.gap_ms > 0) await sleep(params.gap_ms);
      else await new Promise((r) => setImmediate(r));
      sentAt[i] = now();
      ctx.progress(i, params.steps);
    }
    return { value: params.steps };
  },
});

let previewPng: Uint8Array = new Uint8Array();
const BenchPreview = defineNode({
  type: 'BenchPreview',
  category: 'test',
  title: 'Bench preview',
  description: 'A sampler stand-in: busy work per step, then progress with a large preview picture.',
  version: 1,
  inputs: {},
  outputs: { value: { type: 'INT' } },
  params: { steps: p.int({ default: 100, min: 1, max: 1e6 }), seed: p.seed(), work_ms: p.float({ default: 10, min: 0, max: 1000 }) },
  isOutput: true,
  cache: 'seeded',
  async execute(ctx, _i, params) {
    for (let i = 1; i <= params.steps; i++) {
      const until = performance.now() + params.work_ms;
      while (performance.now() < until) {
        /* compute stand-in: the CPU is busy, as during a denoise step */
      }
      ctx.progress(i, params.steps, { mime: 'image/png', data: previewPng, width: 512, height: 256 });
      await new Promise((r) => setImmediate(r));
    }
    return { value: params.steps };
  },
});

const benchNodes: NodeDefinition<any>[] = [BenchProgress, BenchPreview];

// ---------------------------------------------------------------- helpers
function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
function median(xs: number[]): number {
  return percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function submit(url: string, nodes: Record<string, unknown>): Promise<string> {
  const res = await fetch(url + '/api/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workflow: { format: WORKFLOW_FORMAT, version: 1, nodes } }),
  });
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { runs: Array<{ runId: string }> }).runs[0]!.runId;
}

async function runRecord(url: string, runId: string): Promise<{ status: string; durationMs: number }> {
  for (;;) {
    const r = (await (await fetch(`${url}/api/history/${runId}`)).json()) as { status: string; durationMs: number };
    if (r.status !== 'queued' && r.status !== 'running') return r;
    await sleep(20);
  }
}

let seedCounter = 1000;

async function progressLatency(url: string, clients: number, steps: number): Promise<void> {
  const { ready, report } = await clientsInWorker({ url, clients, slow: 0 });
  await ready;
  const t0 = performance.now();
  const runId = await submit(url, { b: { type: 'BenchProgress', params: { steps, seed: seedCounter++ } } });
  const rep = await report;
  const wall = performance.now() - t0;
  const rec = await runRecord(url, runId);
  const lat: number[] = [];
  let delivered = 0;
  for (const arr of rep.arrivals) {
    for (let i = 1; i <= steps; i++) {
      if (arr[i] === undefined) continue;
      delivered++;
      lat.push(arr[i]! - sentAt[i]!);
    }
  }
  lat.sort((a, b) => a - b);
  console.log(
    `progress → client, ${clients} client(s), ${steps} steps: median ${fmt(percentile(lat, 0.5))}, p99 ${fmt(percentile(lat, 0.99))}, ` +
      `max ${fmt(lat.at(-1)!)}; ${delivered}/${steps * clients} delivered (${steps * clients - delivered} coalesced), ${Math.round((delivered / wall) * 1000)} msg/s; run ${rec.status}`,
  );
}

async function slowClient(url: string): Promise<void> {
  previewPng = new Uint8Array(
    await sharp({ create: { width: 512, height: 256, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
      .png({ compressionLevel: 1 })
      .toBuffer(),
  );
  const steps = 100;
  const params = () => ({ steps, seed: seedCounter++, work_ms: 10 });
  const timeRun = async (clients: number, slow: number): Promise<{ ms: number; previews?: number[] }> => {
    let report: Promise<ClientReport> | undefined;
    if (clients) {
      const w = await clientsInWorker({ url, clients, slow });
      await w.ready;
      report = w.report;
    }
    const runId = await submit(url, { b: { type: 'BenchPreview', params: params() } });
    const rec = await runRecord(url, runId);
    const rep = report ? await report : undefined;
    return { ms: rec.durationMs, previews: rep?.previews };
  };
  await timeRun(0, 0); // warm up
  const none: number[] = [];
  const fast: number[] = [];
  const stalled: number[] = [];
  let previews: number[] | undefined;
  for (let i = 0; i < 5; i++) {
    none.push((await timeRun(0, 0)).ms);
    fast.push((await timeRun(3, 0)).ms);
    const r = await timeRun(4, 1);
    stalled.push(r.ms);
    previews = r.previews;
  }
  const [n, f, st] = [median(none), median(fast), median(stalled)];
  const pct = (x: number, ref: number) => `${(((x - ref) / ref) * 100).toFixed(1)}%`;
  console.log(
    `slow client: ${steps} steps x ${(previewPng.length / 1024).toFixed(0)} KB previews (${((steps * previewPng.length) / 1e6).toFixed(1)} MB per client), run wall time, median of 5:\n` +
      `  no clients ${fmt(n)}; 3 fast clients ${fmt(f)} (${pct(f, n)}); 3 fast + 1 stalled ${fmt(st)} (${pct(st, f)} over 3 fast: the stalled client's cost, target ≤ 5%)\n` +
      `  previews reaching each fast client while one is stalled: ${previews?.join(', ')} of ${steps}`,
  );
}

async function submitLatency(url: string): Promise<void> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
  await new Promise((r) => ws.once('open', r));
  const lat: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const got = new Promise<void>((resolve) => {
      const on = (data: Buffer, binary: boolean) => {
        if (binary) return;
        const m = JSON.parse(String(data));
        if (m.type === 'event' && m.event.type === 'run_started') {
          ws.off('message', on);
          resolve();
        }
      };
      ws.on('message', on);
    });
    const runId = await submit(url, { b: { type: 'BenchProgress', params: { steps: 1, seed: seedCounter++, gap_ms: 0 } } });
    await got;
    lat.push(performance.now() - t0);
    await runRecord(url, runId);
  }
  lat.sort((a, b) => a - b);
  console.log(
    `submit (POST /api/runs) → run_started on the socket, 200 runs: median ${fmt(percentile(lat, 0.5))}, p99 ${fmt(percentile(lat, 0.99))}`,
  );
  ws.close();
}

async function diskTier(dir: string): Promise<void> {
  const cacheDir = path.join(dir, 'disk-bench');
  const def = BenchProgress as unknown as NodeDefinition;
  const n = 25 * 1024 * 1024; // 100 MB of float32
  const data = new Float32Array(n);
  for (let i = 0; i < n; i += 1024) data[i] = i;
  const latent = new LatentValue('bench', { samples: { dtype: 'float32', shape: [1, 16, 25, 256, 256], data } }, { fps: 24 });
  const writer = await DiskCache.open({ dir: cacheDir, maxBytes: 1024 * 1024 * 1024 });
  const tw = performance.now();
  await writer.set('bench-key', def, { outputs: { latent }, ui: [] });
  await writer.flush();
  const writeMs = performance.now() - tw;
  await writer.close();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const reader = await DiskCache.open({ dir: cacheDir, maxBytes: 1024 * 1024 * 1024 });
    const t = performance.now();
    const hit = await reader.get('bench-key', def);
    times.push(performance.now() - t);
    const back = hit?.outputs.latent as LatentValue | undefined;
    if (!back || back.tensors.samples!.data.length !== n || (back.tensors.samples!.data as Float32Array)[1024 * 7] !== 1024 * 7)
      throw new Error('disk tier returned wrong data');
    await reader.close();
  }
  console.log(
    `disk tier, 100 MB latent (.safetensors): write ${fmt(writeMs)}; hit from a freshly opened tier median ${fmt(median(times))} ` +
      `(min ${fmt(Math.min(...times))}, OS page cache warm)`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kg-bench-server-'));
  const server = await startServer({
    port: 0,
    dataDir: dir,
    modelsDir: path.join(dir, 'models'),
    editorDir: false,
    provider: 'cpu',
    extraNodes: benchNodes,
    log: () => {},
  });
  console.log(`bench:server on ${os.cpus().length} CPU cores (${os.cpus()[0]?.model.trim()}), node ${process.version}`);
  try {
    await progressLatency(server.url, 1, 2000); // warm-up pass
    await progressLatency(server.url, 1, 2000);
    await progressLatency(server.url, 8, 2000);
    await slowClient(server.url);
    await submitLatency(server.url);
  } finally {
    await server.close();
  }
  await diskTier(dir);
  await rm(dir, { recursive: true, force: true });
}

await main();
