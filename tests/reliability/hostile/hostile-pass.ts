import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../../server/harness.js';
import { startServerProcess } from '../support/server-process.js';
import { expectationFor, GENERIC, type Outcome } from './expectations.js';
import { makeHostileFiles, type Category, type HostileFile, type MediaKind } from './make-files.js';

const LOADERS = { image: 'LoadImage', video: 'LoadVideo', audio: 'LoadAudio' } as const satisfies Record<MediaKind, string>;
const PARAM = { image: 'image', video: 'video', audio: 'audio' } as const;

export interface HostileReport {
  files: number;
  byCategory: Partial<Record<Category, number>>;
  uploads: { tried: number; refused: number; accepted: number; answers500: number };
  loads: { tried: number; refused: number; loaded: number };
  /** Streams cut between packets that decoded to their first part (see expectations.ts). */
  partial: { upload: number; loaders: number };
  /** Every answer or run error that was not the specific one expected. */
  failures: string[];
  /** Every answer, for the record. */
  outcomes: string[];
  peakRssMb: number;
  idleRssMb: number;
  secretLeaked: boolean;
  ms: number;
}

/**
 * Each hostile file through `POST /api/uploads` and through every loader node (LoadImage, LoadVideo, LoadAudio, as
 * a run of one node on a real server process): each answer is the specific refusal expected for it (or, for the
 * few files whose bytes are fine, a load), never a 500 or a generic error; the server's peak RSS is reported.
 * `every`: take every n-th file of each category only (the short version).
 */
export async function runHostilePass(o: {
  every?: number;
  only?: Category[];
  maxPeakRssMb: number;
  log?: (m: string) => void;
}): Promise<HostileReport> {
  const t0 = performance.now();
  const root = await tempDir('kg-hostile-');
  const dataDir = path.join(root, 'data');
  const outside = path.join(root, 'outside');
  await mkdir(path.join(dataDir, 'input'), { recursive: true });
  await mkdir(outside, { recursive: true });
  const log = o.log ?? (() => {});
  let files = await makeHostileFiles(path.join(dataDir, 'input'), outside, path.join(root, 'work'));
  if (o.only) files = files.filter((f) => o.only!.includes(f.category));
  if (o.every && o.every > 1) {
    const seen = new Map<Category, number>();
    files = files.filter((f) => {
      const n = seen.get(f.category) ?? 0;
      seen.set(f.category, n + 1);
      return n % o.every! === 0;
    });
  }
  log(`hostile files: ${files.length}`);
  // A small memory tier, so the bound below says something: the server's own peak, not a cache that may grow.
  const server = await startServerProcess({ dataDir, maxUploadMb: 64, cacheMb: 256 });
  const r: HostileReport = {
    files: files.length,
    byCategory: {},
    uploads: { tried: 0, refused: 0, accepted: 0, answers500: 0 },
    loads: { tried: 0, refused: 0, loaded: 0 },
    partial: { upload: 0, loaders: 0 },
    failures: [],
    outcomes: [],
    peakRssMb: 0,
    idleRssMb: 0,
    secretLeaked: false,
    ms: 0,
  };
  try {
    for (const f of files) r.byCategory[f.category] = (r.byCategory[f.category] ?? 0) + 1;
    for (const f of files) {
      if (!f.upload) continue;
      const outcome = await upload(server.url, f);
      r.uploads.tried++;
      if (outcome.status >= 500) r.uploads.answers500++;
      if (outcome.ok) r.uploads.accepted++;
      else r.uploads.refused++;
      judge(r, f, 'upload', outcome);
      if (outcome.status === 0 && server.child.exitCode !== null)
        throw new Error(`the server died on the upload of ${f.param}:\n${server.logs().slice(-3000)}`);
    }
    // All loader runs queued at once (they run one after another), then read back from history.
    const runs: Array<{ f: HostileFile; kind: MediaKind; runId?: string; refusal?: Outcome }> = [];
    for (const f of files) {
      for (const kind of Object.keys(LOADERS) as MediaKind[]) {
        const wf = {
          format: 'kinegraph.workflow',
          version: 1,
          nodes: { load: { type: LOADERS[kind], params: { [PARAM[kind]]: f.param } } },
        };
        const res = await fetch(`${server.url}/api/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ workflow: wf, targets: ['load'] }),
        });
        const body = (await res.json()) as any;
        if (res.status === 201) runs.push({ f, kind, runId: body.runs[0].runId });
        else runs.push({ f, kind, refusal: { ok: false, status: res.status, message: errorText(body) } });
      }
    }
    let lastPeak = server.memory().peakMb;
    for (const run of runs) {
      const outcome = run.refusal ?? (await runOutcome(server.url, run.runId!));
      const peak = server.memory().peakMb;
      if (peak > lastPeak + 50)
        log(`peak RSS ${lastPeak.toFixed(0)} -> ${peak.toFixed(0)} MB by ${run.f.param} through ${LOADERS[run.kind]}`);
      lastPeak = peak;
      r.loads.tried++;
      if (outcome.ok) r.loads.loaded++;
      else r.loads.refused++;
      judge(r, run.f, run.kind, outcome);
    }
    // Nothing outside the folder came back: no answer, log or output file holds the secret or /etc/passwd.
    const outputs = await readdir(path.join(dataDir, 'output')).catch(() => [] as string[]);
    const leak = /KINEGRAPH-SECRET|root:x:0:0/;
    r.secretLeaked = leak.test(r.outcomes.join('\n')) || leak.test(server.logs());
    for (const name of outputs)
      if (leak.test(await readFile(path.join(dataDir, 'output', name), 'latin1').catch(() => ''))) r.secretLeaked = true;
    if (r.secretLeaked) r.failures.push('a file outside the input folder was read: its contents showed in an answer, a log or an output');
    const health = await fetch(`${server.url}/api/system`)
      .then((x) => x.status)
      .catch(() => 0);
    if (health !== 200) r.failures.push(`server unhealthy after the pass (GET /api/system: ${health})`);
    const mem = server.memory();
    r.peakRssMb = mem.peakMb;
    r.idleRssMb = mem.rssMb;
    if (r.peakRssMb > o.maxPeakRssMb) r.failures.push(`server peak RSS ${r.peakRssMb.toFixed(0)} MB is over ${o.maxPeakRssMb} MB`);
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
  r.ms = performance.now() - t0;
  return r;
}

async function upload(url: string, f: HostileFile): Promise<Outcome> {
  const u = f.upload!;
  const q = new URLSearchParams({ kind: u.kind, filename: u.filename });
  let res: Response;
  try {
    res = await fetch(`${url}/api/uploads?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(u.bytes),
    });
  } catch (e) {
    return { ok: false, status: 0, message: `no answer: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}` };
  }
  const body = (await res.json().catch(() => ({}))) as any;
  return res.status === 201
    ? { ok: true, status: 201, message: '', storedName: body.name }
    : { ok: false, status: res.status, message: errorText(body) };
}

async function runOutcome(url: string, runId: string): Promise<Outcome> {
  for (let i = 0; ; i++) {
    const res = await fetch(`${url}/api/history/${runId}`);
    const rec = (await res.json()) as any;
    if (res.status === 200 && rec.status !== 'queued' && rec.status !== 'running') {
      return rec.status === 'succeeded'
        ? { ok: true, status: 200, message: '' }
        : { ok: false, status: 200, message: rec.error?.message ?? `run ${rec.status} without an error` };
    }
    if (i > 6000) return { ok: false, status: 0, message: `run ${runId} did not end` };
    await new Promise((r) => setTimeout(r, 20));
  }
}

function errorText(body: any): string {
  const e = body?.error;
  if (!e) return JSON.stringify(body).slice(0, 300);
  return [e.message, ...(e.issues ?? []).map((i: { message: string }) => i.message)].join(' | ');
}

function judge(r: HostileReport, f: HostileFile, via: MediaKind | 'upload', got: Outcome): void {
  const want = expectationFor(f, via);
  const where = `${f.category} "${printable(f.param)}" (${f.note}) via ${via === 'upload' ? `upload as ${f.upload!.kind}` : LOADERS[via]}`;
  r.outcomes.push(`${where}: ${got.ok ? 'accepted' : `${got.status} ${got.message}`}`);
  if (got.status >= 500 || got.status === 0) return void r.failures.push(`${where}: answered ${got.status} "${got.message}"`);
  if (want === 'partial') {
    // Either is right: refused as cut short, or its first part decoded.
    if (got.ok) {
      if (via === 'upload') r.partial.upload++;
      else r.partial.loaders++;
    } else if (!/truncat|damaged|not a readable|no (audio|video) track|holds no/.test(got.message))
      r.failures.push(`${where}: "${got.message}" does not say it is cut short`);
    return;
  }
  if (want === 'loads') {
    if (!got.ok) r.failures.push(`${where}: should load, got ${got.status} "${got.message}"`);
    else if (via === 'upload' && got.storedName && !/^[A-Za-z0-9_-]+-[0-9a-f]{12}\.[a-z0-9]+$/.test(got.storedName))
      r.failures.push(`${where}: stored under an unsafe name "${got.storedName}"`);
    return;
  }
  if (got.ok) return void r.failures.push(`${where}: accepted, expected a refusal matching ${want}`);
  if (GENERIC.test(got.message)) return void r.failures.push(`${where}: generic error "${got.message}"`);
  if (!want.test(got.message)) r.failures.push(`${where}: "${got.message}" does not match ${want}`);
}

function printable(s: string): string {
  const p = s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return p.length > 60 ? `${p.slice(0, 40)}…(${p.length})` : p;
}
