import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { RunRecordSchema } from '../../../apps/runtime/src/protocol/index.js';
import { tempDir } from '../../server/harness.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

export interface ScenarioResult {
  name: string;
  fault: string;
  leaves: string;
  submitted: number;
  accepted: number;
  /** Answered nothing (the crash came first) but written: run after the restart all the same. */
  unansweredKept: number;
  /** Accepted runs not finished after the restart: must be 0. */
  lost: number;
  ranTwice: number;
  requeued: number;
  killedBySignal: boolean;
  historyConsistent: boolean;
  cacheConsistent: boolean;
  rerunsIdentical: boolean;
  failures: string[];
  ms: number;
}

/** Widths the runs resize to: few, so later runs hit the cache that the crash may have left half-written. */
const WIDTHS = [64, 96, 128, 160];
const wf = (i: number) => ({
  format: 'kinegraph.workflow',
  version: 1,
  nodes: {
    load: { type: 'LoadImage', params: { image: 'photo.png' } },
    size: {
      type: 'ResizeImage',
      params: { width: WIDTHS[i % WIDTHS.length], height: 0, mode: 'stretch' },
      inputs: { image: ['load', 'image'] },
    },
    save: { type: 'SaveImage', params: { filename_prefix: `w${WIDTHS[i % WIDTHS.length]}` }, inputs: { image: ['size', 'image'] } },
    // Steps with progress: node states are saved while the run runs (the mid-run crash point counts those writes).
    steps: { type: 'TestSteps', params: { steps: 6, delay_ms: 15, seed: i % WIDTHS.length, preview: false } },
  },
});

/**
 * kill -9 at each named moment (see scenarios.ts), then a restart: every run answered 201 ends up run (once, or
 * requeued once and run), history and cache are consistent, and each run's picture is the same pixels as the
 * same workflow run on a server that never crashed.
 */
export async function runDurabilityPass(
  o: { scenarios?: Scenario[]; log?: (m: string) => void } = {},
): Promise<{ results: ScenarioResult[]; reference: Map<number, string>; ms: number }> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const root = await tempDir('kg-durability-');
  try {
    const photo = await sharp({
      create: { width: 320, height: 200, channels: 3, background: '#446688', noise: { type: 'gaussian', mean: 128, sigma: 50 } },
    })
      .png()
      .toBuffer();
    const reference = await referenceHashes(path.join(root, 'reference'), photo);
    const results: ScenarioResult[] = [];
    for (const [i, s] of (o.scenarios ?? SCENARIOS).entries()) {
      const r = await runScenario(path.join(root, `s${i}`), s, photo, reference);
      log(
        `${s.name}: accepted ${r.accepted}, lost ${r.lost}, requeued ${r.requeued}${r.failures.length ? `, ${r.failures.length} failures` : ''}`,
      );
      results.push(r);
    }
    return { results, reference, ms: performance.now() - t0 };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function prepare(dataDir: string, photo: Buffer): Promise<void> {
  await mkdir(path.join(dataDir, 'input'), { recursive: true });
  await writeFile(path.join(dataDir, 'input', 'photo.png'), photo);
}

/** The pixels of each width, from a server that never crashes. */
async function referenceHashes(dataDir: string, photo: Buffer): Promise<Map<number, string>> {
  await prepare(dataDir, photo);
  const server = await startServerProcess({ dataDir });
  try {
    const out = new Map<number, string>();
    for (let i = 0; i < WIDTHS.length; i++) {
      const id = await submit(server.url, i);
      const rec = await finished(server.url, id!);
      out.set(WIDTHS[i]!, await outputHash(dataDir, rec));
    }
    return out;
  } finally {
    await server.stop();
  }
}

async function runScenario(dataDir: string, s: Scenario, photo: Buffer, reference: Map<number, string>): Promise<ScenarioResult> {
  const t0 = performance.now();
  await prepare(dataDir, photo);
  const r: ScenarioResult = {
    name: s.name,
    fault: s.fault,
    leaves: s.leaves,
    submitted: s.runs,
    accepted: 0,
    unansweredKept: 0,
    lost: 0,
    ranTwice: 0,
    requeued: 0,
    killedBySignal: false,
    historyConsistent: false,
    cacheConsistent: false,
    rerunsIdentical: false,
    failures: [],
    ms: 0,
  };
  const accepted = new Map<string, number>();
  const a = await startServerProcess({ dataDir, fault: s.fault });
  if (s.concurrent) await post(a.url, '/api/queue/pause');
  const answers = s.concurrent
    ? await Promise.all(Array.from({ length: s.runs }, (_, i) => submit(a.url, i).then((id) => [i, id] as const)))
    : await sequential(a, s.runs);
  for (const [i, id] of answers) if (id) accepted.set(id, i);
  r.accepted = accepted.size;
  if (s.concurrent) await post(a.url, '/api/queue/resume').catch(() => undefined);
  const exit = await Promise.race([a.exited, new Promise<null>((res) => setTimeout(() => res(null), 120_000))]);
  r.killedBySignal = exit?.signal === 'SIGKILL';
  if (!r.killedBySignal) {
    r.failures.push(`the crash point ${s.fault} was never reached (${exit ? `exit ${exit.code}` : 'still running'})`);
    await a.stop();
  }

  // The restart: everything accepted runs to the end.
  const b = await startServerProcess({ dataDir });
  try {
    await post(b.url, '/api/queue/resume');
    const idle = await waitIdle(b.url);
    if (!idle) r.failures.push('the queue did not empty after the restart');
    const history = await readHistory(dataDir, r);
    for (const [id, i] of accepted) {
      const rec = history.get(id);
      if (!rec || rec.status !== 'succeeded') {
        r.lost++;
        r.failures.push(`accepted run ${id} (#${i}) ${rec ? `ended ${rec.status}: ${rec.error?.message}` : 'is not in history'}`);
        continue;
      }
      if (rec.requeuedAfterCrash) r.requeued++;
      if ((rec.attempt ?? 1) > 2 || (rec.attempt === 2 && !rec.requeuedAfterCrash)) r.ranTwice++;
    }
    // Runs written but never answered (the crash came between the write and the 201): kept and run too.
    for (const [id, rec] of history) if (!accepted.has(id) && rec.status === 'succeeded') r.unansweredKept++;
    r.historyConsistent = r.failures.length === 0 && (await leftInQueue(dataDir)).length === 0;
    if ((await leftInQueue(dataDir)).length) r.failures.push(`run files left in runs/queue: ${(await leftInQueue(dataDir)).join(', ')}`);
    r.cacheConsistent = await checkCache(dataDir, r);

    // Byte-identical: every run's picture is the reference's, and a rerun now (from whatever cache the crash left) too.
    let identical = true;
    for (const [id, rec] of history) {
      if (rec.status !== 'succeeded') continue;
      const width = WIDTHS.find((w) => (rec.workflow as any).nodes.size.params.width === w)!;
      if ((await outputHash(dataDir, rec)) !== reference.get(width)) {
        identical = false;
        r.failures.push(`run ${id} (width ${width}) made other pixels than the reference`);
      }
    }
    for (let i = 0; i < WIDTHS.length; i++) {
      const rec = await finished(b.url, (await submit(b.url, i))!);
      if ((await outputHash(dataDir, rec)) !== reference.get(WIDTHS[i]!)) {
        identical = false;
        r.failures.push(`a rerun of width ${WIDTHS[i]} after the crash made other pixels`);
      }
    }
    r.rerunsIdentical = identical;
  } finally {
    await b.stop();
  }
  r.ms = performance.now() - t0;
  return r;
}

/** One after another, each answered before the next, until the server dies. */
async function sequential(server: ServerProcess, n: number): Promise<Array<readonly [number, string | undefined]>> {
  const out: Array<readonly [number, string | undefined]> = [];
  for (let i = 0; i < n; i++) {
    const id = await submit(server.url, i);
    out.push([i, id] as const);
    if (!id) break;
    // Let it run, so the crash points that count run-time writes are reached in order.
    await finished(server.url, id, 60_000).catch(() => undefined);
  }
  return out;
}

/** The run id when the server answered 201; undefined when it answered otherwise or not at all. */
async function submit(url: string, i: number): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: wf(i) }),
    });
    const body = (await res.json()) as any;
    return res.status === 201 ? body.runs[0].runId : undefined;
  } catch {
    return undefined;
  }
}

async function post(url: string, route: string): Promise<void> {
  await fetch(url + route, { method: 'POST' });
}

async function finished(url: string, runId: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/api/history/${runId}`);
    const rec = (await res.json()) as any;
    if (res.status === 200 && rec.status !== 'queued' && rec.status !== 'running') return rec;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function waitIdle(url: string): Promise<boolean> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const q = (await (await fetch(`${url}/api/queue`)).json()) as any;
    if (!q.running && q.pending.length === 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Every history file parses as a run record, is named by its run id, and says it ended. */
async function readHistory(dataDir: string, r: ScenarioResult): Promise<Map<string, any>> {
  const dir = path.join(dataDir, 'runs', 'history');
  const out = new Map<string, any>();
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.json')) {
      r.failures.push(`stray file in history: ${f}`);
      continue;
    }
    const parsed = RunRecordSchema.safeParse(JSON.parse(await readFile(path.join(dir, f), 'utf8')));
    if (!parsed.success) {
      r.failures.push(`history/${f} is not a valid record`);
      continue;
    }
    if (`${parsed.data.runId}.json` !== f) r.failures.push(`history/${f} holds run ${parsed.data.runId}`);
    out.set(parsed.data.runId, parsed.data);
  }
  return out;
}

async function leftInQueue(dataDir: string): Promise<string[]> {
  return (await readdir(path.join(dataDir, 'runs', 'queue'))).filter((f) => f.endsWith('.json'));
}

/** No half-written entry left, the index lists only entries that exist, each entry's files are there. */
async function checkCache(dataDir: string, r: ScenarioResult): Promise<boolean> {
  const entries = path.join(dataDir, 'cache', 'entries');
  const before = r.failures.length;
  const names = await readdir(entries);
  for (const n of names) {
    if (n.startsWith('.tmp-')) r.failures.push(`half-written cache entry left: ${n}`);
    else {
      const entry = JSON.parse(await readFile(path.join(entries, n, 'entry.json'), 'utf8').catch(() => 'null'));
      if (!entry) r.failures.push(`cache entry ${n} has no entry.json`);
      else
        for (const f of await readdir(path.join(entries, n)))
          if (f !== 'entry.json' && !JSON.stringify(entry.outputs).includes(f)) r.failures.push(`cache entry ${n} holds a stray ${f}`);
    }
  }
  const index = JSON.parse(await readFile(path.join(dataDir, 'cache', 'index.json'), 'utf8')) as { entries: Record<string, unknown> };
  for (const id of Object.keys(index.entries)) if (!names.includes(id)) r.failures.push(`cache index lists ${id}, which is not on disk`);
  return r.failures.length === before;
}

/** sha256 of the output picture's pixels (the PNG holds the workflow, and with it the run's own ids). */
async function outputHash(dataDir: string, rec: any): Promise<string> {
  const out = (rec.outputs as Array<{ filename: string; folder: string }>).find((o) => o.filename.endsWith('.png'));
  if (!out) return 'no output';
  const { data, info } = await sharp(path.join(dataDir, out.folder, out.filename))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return createHash('sha256').update(`${info.width}x${info.height}x${info.channels}`).update(data).digest('hex');
}
