import { hostname } from 'node:os';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Engine, formatIssue, ResultCache, type EngineEvent, type Logger, type SecondaryCache } from '@kinegraph/graph-core';
import { createHostServices, createNodeRegistry } from '@kinegraph/nodes';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { RunRecordSchema, type RunRecord } from '../../../protocol/index.js';
import { DiskCache } from '../../cache/disk-cache.js';
import { checkWorkflow } from '../../run/check-workflow.js';
import { executeRun } from '../../run/execute-run.js';
import { CONTROL_CHANNEL, ControlMessageSchema, encodeEvent, EVENTS_CHANNEL, KEY_PREFIX, QUEUE_NAME, type JobResult } from './channels.js';
import { parseRedisUrl, redactRedisUrl } from './connection.js';
import { removeStalePartials } from './stale-partials.js';

const MB = 1024 * 1024;
/** A partial output file untouched this long was left by a worker that died while saving. */
const STALE_PARTIAL_MS = 60 * 60_000;

export interface RunWorkerOptions {
  /** redis://host:port[/db], the same the server was given. */
  url: string;
  /** The data folder shared with the server: inputs are read from `input/`, outputs written to `output/`. */
  dataDir: string;
  modelsDir: string;
  provider?: 'auto' | 'cpu' | 'webgpu';
  /** This worker's name in records and logs (default host-pid). */
  name?: string;
  /** Memory cache budget (MB), this process's own. Default 2048. */
  cacheMb?: number;
  /** A disk cache tier of this worker's own (never a folder another process uses). Default none. */
  diskCacheDir?: string;
  diskCacheMb?: number;
  /** How long a job's lock lasts without renewal (BullMQ lockDuration). Default 30 s. */
  lockMs?: number;
  /** How often this worker looks for jobs whose worker died (BullMQ stalledInterval). Default 30 s. */
  stallCheckMs?: number;
  /** How often a job a dying worker cut short is run again before it is recorded as failed. Default 1. */
  crashRetries?: number;
  log?: (msg: string) => void;
}

export interface RunningWorker {
  name: string;
  /** Stops taking jobs and waits for the one running to be finished and returned (`force`: leave it to another worker). */
  close(force?: boolean): Promise<void>;
}

/**
 * `kinegraph worker`: takes runs from the Redis queue one at a time and runs them on its own engine. Every
 * job is checked again here with the same check the server makes, against this worker's own folders: file
 * names resolve inside `<data>/input` only (no absolute path, no '..', no link out), and each input must be
 * the very file the server hashed. Outputs go to `<data>/output` under names that appear only when complete
 * (written aside, then linked), so a run killed midway leaves no half-file and its retry writes a whole one.
 */
export async function startRunWorker(o: RunWorkerOptions): Promise<RunningWorker> {
  const log = o.log ?? ((m: string) => console.log(`kinegraph worker: ${m}`));
  const name = o.name ?? `${hostname()}-${process.pid}`;
  const conn = parseRedisUrl(o.url);
  const dataDir = path.resolve(o.dataDir);
  const dirs = { input: path.join(dataDir, 'input'), output: path.join(dataDir, 'output'), temp: path.join(dataDir, 'temp') };
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });

  const logger = engineLogger(log);
  const services = createHostServices({
    inputDir: dirs.input,
    outputDir: dirs.output,
    tempDir: dirs.temp,
    modelsDir: path.resolve(o.modelsDir),
    executionProvider: o.provider ?? 'auto',
    log: logger,
    // Converted models are written atomically, so workers may share them.
    modelCacheDir: path.join(dataDir, 'cache', 'models'),
    keyFolders: [{ dir: path.join(dataDir, 'keys'), label: 'keys/minimax.key in the data folder (--data)' }],
  });
  const stale = await removeStalePartials(dirs.output, STALE_PARTIAL_MS);
  if (stale.length) log(`removed ${stale.length} partial output file(s) a stopped worker left in ${dirs.output}`);
  const registry = createNodeRegistry();
  let disk: DiskCache | undefined;
  if (o.diskCacheDir) disk = await DiskCache.open({ dir: path.resolve(o.diskCacheDir), maxBytes: (o.diskCacheMb ?? 8192) * MB });
  const cache = new ResultCache({ maxBytes: (o.cacheMb ?? 2048) * MB, ...(disk ? { secondary: disk as SecondaryCache } : {}) });
  const hashFile = (ref: string) => services.hashFile(ref);
  const engine = new Engine({ registry, services, cache, hashFile, log: logger });

  const pub = new Redis({ ...conn, lazyConnect: true });
  const control = new Redis({ ...conn, lazyConnect: true });
  for (const c of [pub, control]) c.on('error', (e: Error) => log(`redis: ${e.message}`));
  await Promise.all([pub.connect(), control.connect()]).catch((e: Error) => {
    throw new Error(`could not reach the queue at ${redactRedisUrl(o.url)}: ${e.message}`);
  });
  const aborts = new Map<string, AbortController>();
  control.on('message', (_channel: string, text: string) => {
    let msg;
    try {
      msg = ControlMessageSchema.safeParse(JSON.parse(text));
    } catch {
      return;
    }
    if (msg.success && msg.data.type === 'interrupt') aborts.get(msg.data.runId)?.abort();
  });
  await control.subscribe(CONTROL_CHANNEL);

  // The last event sent: a job returns only after its events are out, so none arrives after the run's end.
  let published: Promise<unknown> = Promise.resolve();
  const publish = (e: EngineEvent) => {
    published = pub.publish(EVENTS_CHANNEL, encodeEvent(name, e)).catch((err: Error) => log(`could not publish an event: ${err.message}`));
  };

  const processJob = async (job: Job): Promise<JobResult> => {
    const parsed = RunRecordSchema.safeParse(job.data);
    if (!parsed.success) throw new Error(`job ${job.id} is not a Kinegraph run: ${parsed.error.issues[0]?.message}`);
    // attemptsStarted counts this start: 2 when a worker died during the first.
    const attempt = Math.max(1, job.attemptsStarted ?? 1);
    const rec: RunRecord = { ...parsed.data, status: 'running', startedAt: Date.now(), nodes: {}, outputs: [], attempt, worker: name };
    if (attempt > 1) rec.requeuedAfterCrash = true;
    log(`running ${rec.runId}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);

    // Registered first: an interrupt that comes during the check stops the run as soon as it starts.
    const abort = new AbortController();
    aborts.set(rec.runId, abort);
    try {
      const refused = await refusal(rec);
      if (refused) {
        log(`refused ${rec.runId}: ${refused}`);
        return failed(rec, refused);
      }
      const { done, terminal } = await executeRun(engine, rec, { signal: abort.signal, onEvent: publish, onNodes: () => {}, log });
      await published;
      log(
        `${done.status} ${rec.runId} in ${done.durationMs ?? 0} ms${done.outputs.length ? `: ${done.outputs.map((f) => f.filename).join(', ')}` : ''}`,
      );
      return { record: done, ...(terminal ? { terminal: terminal as unknown as Record<string, unknown> } : {}) };
    } finally {
      aborts.delete(rec.runId);
    }
  };

  /** Why this worker will not run the record (the server's check, made again here), or undefined. */
  const refusal = async (rec: RunRecord): Promise<string | undefined> => {
    const checked = await checkWorkflow(rec.workflow, { registry, services, hashFile, targets: rec.targets, force: rec.force });
    if (!checked.ok) {
      const problems = checked.issues.filter((i) => i.severity !== 'warning');
      return `the workflow does not pass this worker's check:${problems.map((i) => `\n${formatIssue(i)}`).join('')}`;
    }
    for (const [ref, hash] of Object.entries(rec.inputHashes)) {
      const here = checked.inputHashes[ref];
      if (here !== undefined && here !== hash)
        return `input file "${ref}" is not the file the server checked (is --data the server's data folder?)`;
    }
    return undefined;
  };

  const worker = new Worker(QUEUE_NAME, processJob, {
    connection: conn,
    prefix: KEY_PREFIX,
    // One device, one run at a time: more machines, not more runs per machine.
    concurrency: 1,
    lockDuration: o.lockMs ?? 30_000,
    stalledInterval: o.stallCheckMs ?? 30_000,
    maxStalledCount: o.crashRetries ?? 1,
    name,
  });
  worker.on('error', (e: Error) => log(`queue: ${e.message}`));
  await worker.waitUntilReady();
  log(`worker ${name} taking runs from ${redactRedisUrl(o.url)}; data ${dataDir}`);

  let closing: Promise<void> | undefined;
  return {
    name,
    close(force = false) {
      closing ??= (async () => {
        await worker.close(force);
        await Promise.allSettled([pub.quit(), control.quit()]);
        await disk?.close();
        await services.models.unloadAll().catch(() => undefined);
      })();
      return closing;
    },
  };
}

/** A run this worker refused: failed, with the reason, announced like any failed run. */
function failed(rec: RunRecord, message: string): JobResult {
  const now = Date.now();
  const record: RunRecord = {
    ...rec,
    status: 'failed',
    finishedAt: now,
    durationMs: now - (rec.startedAt ?? now),
    error: { code: 'node_failed', message },
  };
  const terminal = {
    type: 'run_failed',
    runId: rec.runId,
    time: now,
    durationMs: record.durationMs,
    error: { code: 'node_failed', message },
  };
  return { record, terminal };
}

function engineLogger(log: (msg: string) => void): Logger {
  return {
    debug: () => {},
    info: (m) => log(m),
    warn: (m) => log(`warning: ${m}`),
    error: (m) => log(`error: ${m}`),
  };
}
