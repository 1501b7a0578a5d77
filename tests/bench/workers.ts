/**
 * `npm run bench:workers`: a sweep of 24 short variants of the default workflow (256x144, 1 s at 12 fps) run
 * by the in-process queue, then through Redis by 1 and by 2 `kinegraph worker` processes on one data folder.
 * Reports wall time (submit to last run recorded), the engine's own time, and the queue's overhead per job:
 * ((wall - submit) x workers - engine time) / jobs, and the median gap a worker spends between two jobs (its run
 * recorded, the next one taken). Options: --variants N (default 24), --workers 1,2.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { findRedisServer, kinegraph, repoRoot, startRedis, startServer, startWorker, type Child } from '../workers/harness.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const variants = Number(arg('variants', '24'));
const workerCounts = arg('workers', '1,2').split(',').map(Number);

type Rec = { runId: string; status: string; startedAt?: number; finishedAt?: number; durationMs?: number; worker?: string };

async function tinyWorkflow() {
  const wf = JSON.parse(await readFile(path.join(repoRoot, 'workflows/photo-to-video.json'), 'utf8'));
  Object.assign(wf.nodes.encode.params, { resolution: 'custom', width: 256, height: 144 });
  Object.assign(wf.nodes.denoise.params, { duration: 1, fps: 12 });
  delete wf.ui;
  return wf;
}

async function sweep(url: string): Promise<{ wallMs: number; submitMs: number; recs: Rec[] }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workflow: await tinyWorkflow(), sweep: [`denoise.seed=1..${variants}`] }),
  });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${await res.text()}`);
  const ids = ((await res.json()) as { runs: Array<{ runId: string }> }).runs.map((r) => r.runId);
  // Checking and resolving the 24 variants is the server's work before anything is queued, the same for every setup.
  const submitMs = performance.now() - t0;
  for (;;) {
    const recs = (await Promise.all(ids.map(async (id) => (await fetch(`${url}/api/history/${id}`)).json()))) as Rec[];
    if (recs.every((r) => r.status !== 'queued' && r.status !== 'running')) {
      const bad = recs.filter((r) => r.status !== 'succeeded');
      if (bad.length) throw new Error(`${bad.length} runs did not succeed`);
      return { wallMs: performance.now() - t0, submitMs, recs };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Per worker, the time between one run's end and the next one's start, in ms. */
function gaps(recs: Rec[]): number[] {
  const byWorker = new Map<string, Rec[]>();
  for (const r of recs) byWorker.set(r.worker ?? 'server', [...(byWorker.get(r.worker ?? 'server') ?? []), r]);
  const out: number[] = [];
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.startedAt! - b.startedAt!);
    for (let i = 1; i < list.length; i++) out.push(list[i]!.startedAt! - list[i - 1]!.finishedAt!);
  }
  return out;
}

function firstAndLater(recs: Rec[]): { firstRunS: number; laterRunMs: number } {
  const seen = new Set<string>();
  const first: number[] = [];
  const later: number[] = [];
  for (const r of [...recs].sort((a, b) => a.startedAt! - b.startedAt!)) {
    const w = r.worker ?? 'server';
    (seen.has(w) ? later : first).push(r.durationMs ?? 0);
    seen.add(w);
  }
  return { firstRunS: median(first) / 1000, laterRunMs: median(later) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

interface Row {
  setup: string;
  wallS: number;
  submitS: number;
  engineS: number;
  perJobOverheadMs: number;
  medianGapMs: number;
  /** The first run on each worker (nothing cached yet: photo analysis, model conversion) and the runs after it. */
  firstRunS: number;
  laterRunMs: number;
  perWorker: string;
}

async function measure(setup: string, start: (dataDir: string) => Promise<{ url: string; stop: () => Promise<void> }>): Promise<Row> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kinegraph-bench-workers-'));
  const running = await start(dataDir);
  try {
    const { wallMs, submitMs, recs } = await sweep(running.url);
    const engineMs = recs.reduce((s, r) => s + (r.durationMs ?? 0), 0);
    const counts = new Map<string, number>();
    for (const r of recs) counts.set(r.worker ?? 'server', (counts.get(r.worker ?? 'server') ?? 0) + 1);
    const workers = Math.max(1, counts.size);
    return {
      setup,
      wallS: wallMs / 1000,
      engineS: engineMs / 1000,
      submitS: submitMs / 1000,
      // After the submit: time that is not the engine's, per job, with the work spread over the workers.
      perJobOverheadMs: ((wallMs - submitMs) * workers - engineMs) / recs.length,
      medianGapMs: median(gaps(recs)),
      ...firstAndLater(recs),
      perWorker: [...counts.entries()].map(([w, n]) => `${w}:${n}`).join(' '),
    };
  } finally {
    await running.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const redisBin = findRedisServer();
if (!redisBin) {
  console.error('bench:workers needs redis-server on PATH (apt-get install redis-server)');
  process.exit(1);
}

console.log(
  `bench:workers: ${variants} variants of the default workflow at 256x144, 1 s at 12 fps; ${cpus().length} CPU cores (${cpus()[0]?.model.trim()})`,
);
const rows: Row[] = [];
rows.push(
  await measure('in-process queue (no --queue)', async (dataDir) => {
    const child = kinegraph('server', ['serve', '--port', '0', '--data', dataDir, '--device', 'cpu']);
    const m = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    return { url: m[1]!, stop: () => child.stop() };
  }),
);
for (const n of workerCounts) {
  rows.push(
    await measure(`Redis, ${n} worker${n === 1 ? '' : 's'}`, async (dataDir) => {
      const redis = await startRedis(redisBin);
      const server = await startServer(dataDir, redis.url);
      const workers: Child[] = await Promise.all(Array.from({ length: n }, (_, i) => startWorker(`w${i + 1}`, dataDir, redis.url)));
      return {
        url: server.url,
        stop: async () => {
          await Promise.all(workers.map((w) => w.stop()));
          await server.child.stop();
          await redis.child.stop();
        },
      };
    }),
  );
}

console.log('');
console.log(
  '| setup | wall (s) | submit (s) | engine time, all runs (s) | first run on a worker (s) | later runs, median (ms) | overhead per job (ms) | median gap between jobs (ms) | runs per worker |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.setup} | ${r.wallS.toFixed(2)} | ${r.submitS.toFixed(2)} | ${r.engineS.toFixed(2)} | ${r.firstRunS.toFixed(2)} | ${r.laterRunMs.toFixed(0)} | ${r.perJobOverheadMs.toFixed(1)} | ${r.medianGapMs.toFixed(1)} | ${r.perWorker} |`,
  );
}
const one = rows.find((r) => r.setup.startsWith('Redis, 1 '));
const two = rows.find((r) => r.setup.startsWith('Redis, 2 '));
if (one && two) console.log(`\nspeed-up with 2 workers: ${(one.wallS / two.wallS).toFixed(2)}x`);
if (one)
  console.log(
    `queue overhead per job (1 worker, wall - submit - engine): ${one.perJobOverheadMs.toFixed(1)} ms (target < 20 ms); median gap ${one.medianGapMs.toFixed(1)} ms`,
  );
process.exit(0);
