import { randomBytes } from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import { removeDir, tempDir } from '../../server/harness.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

export interface LoadReport {
  clients: number;
  /** Median run time with no clients, and with the clients (one of them never reading), ms. */
  runMsAlone: number;
  runMsWithClients: number;
  ratio: number;
  /** The server process's CPU time over each timed run (polling included), median, ms. */
  serverCpuMsAlone: number;
  serverCpuMsWithClients: number;
  /** Messages the reading clients got (all of them, summed) during the timed runs. */
  messagesRead: number;
  /** The never-reading client: what the server did about it once its buffers were full. */
  stalledClient: string;
  /** Server RSS growth while a flood of previews went out to a client that never reads, MB. */
  floodGrowthMb: number;
  rapid: { submitted: number; accepted: number; p50Ms: number; p99Ms: number; answers500: number };
  queued: {
    limit: number;
    accepted: number;
    refused429: number;
    refusalMessage: string;
    postMsEmpty: number;
    postMsFull: number;
    answers500: number;
  };
  peakRssMb: number;
  failures: string[];
  ms: number;
}

const quick = (seed: number) => ({
  workflow: {
    format: 'kinegraph.workflow',
    version: 1,
    nodes: { s: { type: 'TestSteps', params: { steps: 1, delay_ms: 0, seed, preview: false } } },
  },
});
/** A run with progress and a preview every step; steps of 20 ms (a sampler's take hundreds). */
const timed = (seed: number, steps: number) => ({
  workflow: {
    format: 'kinegraph.workflow',
    version: 1,
    nodes: { s: { type: 'TestSteps', params: { steps, delay_ms: 20, seed, preview_size: 32 } } },
  },
});

/**
 * The load pass, on a server process: `clients` WebSocket clients, one of which never reads (its socket and then
 * the server's buffers fill), against runs with progress and a preview every step: the run time with them
 * against without them, the server's memory while the stalled client is flooded, 200 submissions at once,
 * then the queue filled to its limit of 1,000 and refused cleanly past it.
 */
export async function runLoadPass(o: {
  clients?: number;
  repeats?: number;
  steps?: number;
  maxRatio?: number;
  queueLimit?: number;
  maxPeakRssMb: number;
  log?: (m: string) => void;
}): Promise<LoadReport> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const clients = o.clients ?? 20;
  const dataDir = await tempDir('kg-load-');
  const limit = o.queueLimit ?? 1000;
  const server = await startServerProcess({ dataDir, maxQueuedRuns: limit });
  const r: LoadReport = {
    clients,
    runMsAlone: 0,
    runMsWithClients: 0,
    ratio: 0,
    serverCpuMsAlone: 0,
    serverCpuMsWithClients: 0,
    messagesRead: 0,
    stalledClient: '',
    floodGrowthMb: 0,
    rapid: { submitted: 0, accepted: 0, p50Ms: 0, p99Ms: 0, answers500: 0 },
    queued: { limit: 0, accepted: 0, refused429: 0, refusalMessage: '', postMsEmpty: 0, postMsFull: 0, answers500: 0 },
    peakRssMb: 0,
    failures: [],
    ms: 0,
  };
  const readers: WebSocket[] = [];
  let stalled: net.Socket | undefined;
  try {
    // Run time: alone, then with the clients, alternating, medians compared (the machine's noise hits both).
    const alone: number[] = [];
    const withClients: number[] = [];
    const cpuAlone: number[] = [];
    const cpuWith: number[] = [];
    let seed = 1000;
    const steps = o.steps ?? 60;
    await runTimed(server, timed(seed++, steps)); // warm-up
    for (let i = 0; i < (o.repeats ?? 3); i++) {
      alone.push(await runTimed(server, timed(seed++, steps), cpuAlone));
      if (!readers.length) {
        stalled = await stallingClient(server.url);
        for (let c = 0; c < clients - 1; c++) readers.push(await openReader(server.url));
      }
      for (const ws of readers) (ws as any).count = 0;
      withClients.push(await runTimed(server, timed(seed++, steps), cpuWith));
      r.messagesRead += readers.reduce((n, ws) => n + (ws as any).count, 0);
      // Clients off for the next "alone" run: closed and opened again (the stalled one stays, never read).
      for (const ws of readers.splice(0)) ws.close();
    }
    r.runMsAlone = median(alone);
    r.runMsWithClients = median(withClients);
    r.ratio = r.runMsWithClients / r.runMsAlone;
    r.serverCpuMsAlone = median(cpuAlone);
    r.serverCpuMsWithClients = median(cpuWith);
    log(
      `run time alone ${alone.map((x) => x.toFixed(0)).join('/')} ms, with ${clients} clients ${withClients.map((x) => x.toFixed(0)).join('/')} ms; server CPU ${cpuAlone.join('/')} vs ${cpuWith.join('/')} ms`,
    );
    if (o.maxRatio && r.ratio > o.maxRatio)
      r.failures.push(
        `runs took ${((r.ratio - 1) * 100).toFixed(0)}% longer with ${clients} clients (limit ${((o.maxRatio - 1) * 100).toFixed(0)}%)`,
      );

    // Flood: big previews every step, to readers and to the stalled client; the server must not buffer them all.
    for (let c = 0; c < 3; c++) readers.push(await openReader(server.url));
    const before = server.memory().rssMb;
    await runTimed(server, {
      workflow: {
        format: 'kinegraph.workflow',
        version: 1,
        nodes: { s: { type: 'TestSteps', params: { steps: 150, delay_ms: 1, seed: 7, preview_size: 512 } } },
      },
    });
    r.floodGrowthMb = Math.max(0, server.memory().rssMb - before);
    for (const ws of readers.splice(0)) ws.close();
    r.stalledClient = await stalledFate(stalled!);
    if (r.floodGrowthMb > 150) r.failures.push(`server RSS grew ${r.floodGrowthMb.toFixed(0)} MB while flooding a client that never reads`);

    // 200 submissions at once (queue paused, so they all wait).
    await fetch(`${server.url}/api/queue/pause`, { method: 'POST' });
    const rapid = await Promise.all(Array.from({ length: 200 }, (_, i) => timedPost(server.url, quick(i))));
    r.rapid = {
      submitted: 200,
      accepted: rapid.filter((x) => x.status === 201).length,
      p50Ms: quantile(
        rapid.map((x) => x.ms),
        0.5,
      ),
      p99Ms: quantile(
        rapid.map((x) => x.ms),
        0.99,
      ),
      answers500: rapid.filter((x) => x.status >= 500).length,
    };
    if (r.rapid.accepted !== 200)
      r.failures.push(`only ${r.rapid.accepted} of 200 rapid submissions accepted: ${[...new Set(rapid.map((x) => x.status))].join(', ')}`);

    // Up to the queue's limit (1,000 by default), then past it: a clean 429 that says why.
    r.queued.limit = limit;
    const empty: number[] = [];
    const full: number[] = [];
    for (let i = 200; i < limit; i++) {
      const x = await timedPost(server.url, quick(i));
      if (x.status === 201) r.queued.accepted++;
      if (x.status >= 500) r.queued.answers500++;
      if (i < 260) empty.push(x.ms);
      if (i >= limit - 60) full.push(x.ms);
    }
    r.queued.accepted += r.rapid.accepted;
    for (let i = 0; i < 20; i++) {
      const x = await timedPost(server.url, quick(5000 + i));
      if (x.status === 429) {
        r.queued.refused429++;
        r.queued.refusalMessage = x.message;
      } else r.failures.push(`submission past the queue limit answered ${x.status}`);
    }
    r.queued.postMsEmpty = median(empty);
    r.queued.postMsFull = median(full);
    if (r.queued.accepted !== limit) r.failures.push(`${r.queued.accepted} runs queued, expected ${limit}`);
    if (!new RegExp(`queue holds ${limit} runs and takes at most ${limit}`).test(r.queued.refusalMessage))
      r.failures.push(`the 429 does not say the queue is full at ${limit}: "${r.queued.refusalMessage}"`);
    const q = (await (await fetch(`${server.url}/api/queue`)).json()) as any;
    if (q.pending.length !== limit) r.failures.push(`the queue holds ${q.pending.length} runs, expected ${limit}`);
    const health = await fetch(`${server.url}/api/system`)
      .then((x) => x.status)
      .catch(() => 0);
    if (health !== 200) r.failures.push(`server unhealthy after the load (GET /api/system: ${health})`);
    r.peakRssMb = server.memory().peakMb;
    if (r.peakRssMb > o.maxPeakRssMb) r.failures.push(`server peak RSS ${r.peakRssMb.toFixed(0)} MB is over ${o.maxPeakRssMb} MB`);
  } finally {
    for (const ws of readers) ws.terminate();
    stalled?.destroy();
    await server.stop();
    await removeDir(dataDir);
  }
  r.ms = performance.now() - t0;
  return r;
}

async function runTimed(server: ServerProcess, body: unknown, cpu?: number[]): Promise<number> {
  const cpu0 = server.cpuMs();
  const res = await fetch(`${server.url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const runId = ((await res.json()) as any).runs[0].runId as string;
  for (;;) {
    const rec = (await (await fetch(`${server.url}/api/history/${runId}`)).json()) as any;
    if (rec.status === 'succeeded') {
      cpu?.push(server.cpuMs() - cpu0);
      return rec.durationMs as number;
    }
    if (rec.status !== 'queued' && rec.status !== 'running') throw new Error(`timed run ${rec.status}: ${rec.error?.message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function timedPost(url: string, body: unknown): Promise<{ status: number; ms: number; message: string }> {
  const t = performance.now();
  const res = await fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as any;
  return { status: res.status, ms: performance.now() - t, message: json?.error?.message ?? '' };
}

/** A client that reads (and only counts) every message. */
function openReader(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
  (ws as any).count = 0;
  ws.on('message', () => (ws as any).count++);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A WebSocket handshake over a raw socket that is then never read: the kernel's buffers, then the server's, fill. */
async function stallingClient(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  socket.pause();
  socket.on('error', () => {});
  return socket;
}

/** Reads what the stalled client was sent: did the server close it (and with what code), or keep it with a bounded backlog? */
async function stalledFate(socket: net.Socket): Promise<string> {
  const parts: Buffer[] = [];
  let ended = false;
  socket.on('data', (c: Buffer) => parts.push(c));
  const end = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.once('end', () => (ended = true));
  socket.resume();
  await Promise.race([end, new Promise((r) => setTimeout(r, 3000))]);
  const all = Buffer.concat(parts);
  // The 101 answer, then server frames (never masked): walk them to the close frame, if any.
  let at = all.indexOf('\r\n\r\n') + 4;
  let frames = 0;
  let close: number | undefined;
  while (at > 3 && at + 2 <= all.length) {
    const opcode = all[at]! & 0x0f;
    let len = all[at + 1]! & 0x7f;
    let head = 2;
    if (len === 126) ((len = all.readUInt16BE(at + 2)), (head = 4));
    else if (len === 127) ((len = Number(all.readBigUInt64BE(at + 2))), (head = 10));
    if (at + head + len > all.length) break;
    frames++;
    if (opcode === 8) close = len >= 2 ? all.readUInt16BE(at + head) : 1005;
    at += head + len;
  }
  const fate =
    close !== undefined
      ? `closed by the server (code ${close})`
      : ended
        ? 'dropped by the server (no close frame)'
        : 'kept open, its backlog coalesced';
  return `${fate} after ${frames} messages, ${(all.length / 1e6).toFixed(1)} MB`;
}

function median(xs: number[]): number {
  return quantile(xs, 0.5);
}
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0;
}
