import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { validateWorkflow, type NodeRegistry } from '@kinegraph/graph-core';
import { createNodeRegistry } from '@kinegraph/nodes';
import { repoRoot } from '../../cli/cli-harness.js';
import { api, removeDir, startTestServer, tempDir, waitForRun, workflow } from '../../server/harness.js';
import { buildDocument, planArbitrary, type FuzzDocument, type MutationKind } from './mutate.js';

/** What a fuzz pass measured; `failures` lists every document that broke a rule (empty on a pass). */
export interface FuzzReport {
  documents: number;
  seed: number;
  validator: { valid: number; invalid: number; threw: number; maxIssues: number; unserialisable: number; maxMs: number; p99Ms: number };
  http: {
    byStatus: Record<string, number>;
    answers500: number;
    maxMs: number;
    p99Ms: number;
    maxAnswerBytes: number;
    maxBodyBytes: number;
    accepted: number;
    lost: number;
    restarts: number;
    queueFileParseable: boolean;
    healthyAfter: boolean;
  };
  kinds: Record<MutationKind, number>;
  peakRssMb: number;
  wallS: number;
  /** Where the wall time went: making documents, the validator in this process, the HTTP requests. */
  phasesS: { generate: number; validator: number; http: number };
  /** The slowest requests: what they were and how long they took. */
  slowest: Array<{ ms: number; validatorMs: number; bytes: number; status: number; kinds: string }>;
  failures: string[];
}

const maxJsonBytes = 20 * 2 ** 20;

const shipped = (): unknown[] => {
  const dir = path.join(repoRoot, 'workflows');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
};

/** Documents are made in small groups (some are megabytes), each group from its own seed, so a seed replays. */
function* documents(count: number, seed: number): Generator<FuzzDocument> {
  const bases = shipped();
  const group = 50;
  for (let g = 0; g * group < count; g++) {
    const plans = fc.sample(planArbitrary, { numRuns: Math.min(group, count - g * group), seed: seed + g });
    for (const p of plans) yield buildDocument(p, bases);
  }
}

/**
 * POSTs a run request. A request that finds its kept-alive connection just closed by the server's idle timeout
 * (a race of the client's, after a long pause here) is sent once more on a fresh one.
 */
async function post(url: string, body: string, retries: number): Promise<{ status: number; answer: string }> {
  try {
    const res = await fetch(url + '/api/runs', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, answer: await res.text() };
  } catch (e) {
    const code = ((e as Error).cause as { code?: string } | undefined)?.code;
    if (retries > 0 && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) return post(url, body, retries - 1);
    throw e;
  }
}

function quantile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/**
 * Sends `count` fuzzed run requests through the validator and the HTTP API of a real server (queue paused, so
 * accepted runs wait). Rules: the validator never throws and lists at most 100 problems, its result always
 * serialises; the server never answers 500; every accepted run is in the queue (checked every few hundred
 * requests, after a restart and at the end); queue.json parses; the server runs a real workflow afterwards.
 */
export async function runWorkflowFuzz(o: { count: number; seed?: number; log?: (msg: string) => void }): Promise<FuzzReport> {
  const seed = o.seed ?? 12;
  const started = performance.now();
  const registry: NodeRegistry = createNodeRegistry();
  const dir = await tempDir('kg-fuzz-');
  let server = await startTestServer(dir);
  const failures: string[] = [];
  const kinds = Object.fromEntries(
    ['type', 'number', 'deep', 'proto', 'string', 'cycle', 'graph', 'delete', 'entries', 'link'].map((k) => [k, 0]),
  ) as Record<MutationKind, number>;
  const v = { valid: 0, invalid: 0, threw: 0, maxIssues: 0, unserialisable: 0 };
  const vMs: number[] = [];
  const hMs: number[] = [];
  const byStatus: Record<string, number> = {};
  let maxAnswerBytes = 0;
  let maxBodyBytes = 0;
  let accepted = 0;
  let lost = 0;
  let restarts = 0;
  let peakRss = process.memoryUsage().rss;
  const waiting = new Set<string>();
  const slowest: FuzzReport['slowest'] = [];
  let generateMs = 0;
  const fail = (msg: string, d: FuzzDocument) => {
    if (failures.length < 50) failures.push(`${msg} [${d.kinds.join(',')}] ${d.text.slice(0, 300)}`);
  };

  /** Every accepted run still waiting is in the queue; then they are cancelled (each answer proves it was there). */
  const reconcile = async () => {
    const q = await api(server.url, '/api/queue');
    const ids = new Set<string>((q.body.pending as Array<{ runId: string }>).map((r) => r.runId));
    for (const id of waiting)
      if (!ids.has(id)) {
        lost++;
        if (failures.length < 50) failures.push(`accepted run ${id} is not in the queue`);
      }
    for (const id of waiting) {
      const c = await api(server.url, `/api/queue/${id}`, { method: 'DELETE' });
      if (c.status !== 200) failures.push(`cancelling accepted run ${id} answered ${c.status}`);
    }
    waiting.clear();
  };

  try {
    await api(server.url, '/api/queue/pause', { method: 'POST' });
    let n = 0;
    const docs = documents(o.count, seed);
    for (;;) {
      const g0 = performance.now();
      const next = docs.next();
      generateMs += performance.now() - g0;
      if (next.done) break;
      const d = next.value;
      n++;
      for (const k of d.kinds) kinds[k]++;
      maxBodyBytes = Math.max(maxBodyBytes, d.text.length);
      // The validator, as the CLI and the engine call it.
      let parsed: unknown;
      try {
        parsed = (JSON.parse(d.text) as { workflow: unknown }).workflow;
      } catch {
        parsed = undefined;
      }
      const t0 = performance.now();
      let validatorMs = 0;
      try {
        const r = validateWorkflow(parsed, registry);
        validatorMs = performance.now() - t0;
        vMs.push(validatorMs);
        if (r.ok) v.valid++;
        else v.invalid++;
        v.maxIssues = Math.max(v.maxIssues, r.issues.length);
        if (r.issues.length > 100) fail(`validator listed ${r.issues.length} issues`, d);
        try {
          JSON.stringify(r);
        } catch (e) {
          v.unserialisable++;
          fail(`validator result does not serialise: ${(e as Error).message}`, d);
        }
      } catch (e) {
        v.threw++;
        fail(`validator threw: ${(e as Error).message}`, d);
      }
      // The HTTP API.
      const t1 = performance.now();
      let status: number;
      let answer = '';
      const oversized = Buffer.byteLength(d.text) > maxJsonBytes;
      try {
        ({ status, answer } = await post(server.url, d.text, oversized ? 0 : 1));
      } catch (e) {
        // A body past the size limit is answered 413 while it is still arriving, and the connection closed: the
        // client may see that as a reset. For any other body a reset is a failure.
        if (!oversized) fail(`request failed: ${(e as Error).message}`, d);
        status = 0;
      }
      const ms = performance.now() - t1;
      hMs.push(ms);
      slowest.push({ ms, validatorMs, bytes: d.text.length, status, kinds: d.kinds.join(',') });
      slowest.sort((a, b) => b.ms - a.ms).splice(5);
      byStatus[status || 'reset (over 20 MB)'] = (byStatus[status || 'reset (over 20 MB)'] ?? 0) + 1;
      const res = { status };
      maxAnswerBytes = Math.max(maxAnswerBytes, answer.length);
      if (res.status >= 500) fail(`answered ${res.status}: ${answer.slice(0, 200)}`, d);
      if (res.status === 201) {
        for (const r of (JSON.parse(answer) as { runs: Array<{ runId: string }> }).runs) {
          waiting.add(r.runId);
          accepted++;
        }
      }
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (waiting.size >= 400) await reconcile();
      // Halfway: a restart keeps every waiting run.
      if (n === Math.floor(o.count / 2)) {
        await server.close();
        server = await startTestServer(dir);
        restarts++;
        await reconcile();
      }
      if (n % 1000 === 0) o.log?.(`${n} documents, ${accepted} accepted, ${failures.length} failures`);
    }
    await reconcile();
    let queueFileParseable = true;
    try {
      JSON.parse(await readFile(path.join(dir, 'runs', 'queue.json'), 'utf8'));
    } catch {
      queueFileParseable = false;
      failures.push('queue.json does not parse');
    }
    // Healthy after: answers, and runs a real workflow to the end.
    await api(server.url, '/api/queue/resume', { method: 'POST' });
    const sys = await api(server.url, '/api/system');
    const run = await api(server.url, '/api/runs', {
      method: 'POST',
      json: { workflow: workflow({ s: { type: 'TestSteps', params: { steps: 3, delay_ms: 0 } } }) },
    });
    const healthyAfter =
      sys.status === 200 && run.status === 201 && (await waitForRun(server.url, run.body.runs[0].runId)).status === 'succeeded';
    if (!healthyAfter) failures.push('the server was not healthy after the fuzz pass');
    return {
      documents: n,
      seed,
      validator: { ...v, maxMs: Math.max(0, ...vMs), p99Ms: quantile(vMs, 0.99) },
      http: {
        byStatus,
        answers500: Object.entries(byStatus)
          .filter(([s]) => Number(s) >= 500)
          .reduce((a, [, c]) => a + c, 0),
        maxMs: Math.max(0, ...hMs),
        p99Ms: quantile(hMs, 0.99),
        maxAnswerBytes,
        maxBodyBytes,
        accepted,
        lost,
        restarts,
        queueFileParseable,
        healthyAfter,
      },
      kinds,
      peakRssMb: peakRss / 2 ** 20,
      wallS: (performance.now() - started) / 1000,
      phasesS: {
        generate: generateMs / 1000,
        validator: vMs.reduce((a, b) => a + b, 0) / 1000,
        http: hMs.reduce((a, b) => a + b, 0) / 1000,
      },
      slowest,
      failures,
    };
  } finally {
    await server.close();
    await removeDir(dir);
  }
}

/** The report as a Markdown table (printed by `npm run test:reliability`, kept in docs/reliability.md). */
export function reportTable(r: FuzzReport): string {
  return ['| measure | value |', '| --- | --- |', ...fuzzRows(r).map(([k, val]) => `| ${k} | ${val} |`)].join('\n');
}

/** The fuzz pass's figures as table rows (measure, value). */
export function fuzzRows(r: FuzzReport): Array<[string, string]> {
  const statuses = Object.entries(r.http.byStatus)
    .sort()
    .map(([s, c]) => `${s}: ${c}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['fuzzed documents (seed)', `${r.documents} (${r.seed})`],
    [
      'mutations',
      Object.entries(r.kinds)
        .map(([k, c]) => `${k} ${c}`)
        .join(', '),
    ],
    ['validator: valid / invalid / threw', `${r.validator.valid} / ${r.validator.invalid} / ${r.validator.threw}`],
    ['validator: most issues listed, unserialisable results', `${r.validator.maxIssues}, ${r.validator.unserialisable}`],
    ['validator: p99 / max ms', `${r.validator.p99Ms.toFixed(1)} / ${r.validator.maxMs.toFixed(1)}`],
    ['HTTP answers by status', statuses],
    ['HTTP answers 500', String(r.http.answers500)],
    ['HTTP: p99 / max ms per request', `${r.http.p99Ms.toFixed(1)} / ${r.http.maxMs.toFixed(1)}`],
    ['HTTP: largest body sent / answer', `${(r.http.maxBodyBytes / 1e6).toFixed(1)} MB / ${(r.http.maxAnswerBytes / 1024).toFixed(1)} KB`],
    ['accepted runs / lost', `${r.http.accepted} / ${r.http.lost}`],
    ['restarts mid-pass', String(r.http.restarts)],
    ['queue.json parseable, server healthy after', `${r.http.queueFileParseable ? 'yes' : 'NO'}, ${r.http.healthyAfter ? 'yes' : 'NO'}`],
    ['peak RSS (test process + server)', `${r.peakRssMb.toFixed(0)} MB`],
    [
      'wall time (making documents / validator / HTTP)',
      `${r.wallS.toFixed(1)} s (${r.phasesS.generate.toFixed(1)} / ${r.phasesS.validator.toFixed(1)} / ${r.phasesS.http.toFixed(1)} s)`,
    ],
    ['failures', String(r.failures.length)],
  ];
  return rows;
}
