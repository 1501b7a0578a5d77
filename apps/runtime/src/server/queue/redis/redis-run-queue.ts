import { EngineEventSchema, type EngineEvent } from '@kinegraph/graph-core';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { RunRecordSchema, type QueueState, type RunRecord, type RunSummary } from '../../../protocol/index.js';
import type { RunStore } from '../../store/run-store.js';
import { summarize } from '../../store/run-store.js';
import { QueueFullError } from '../../store/store-error.js';
import type { RunQueue, RunQueueListener } from '../run-queue.js';
import { CONTROL_CHANNEL, decodeEvent, EVENTS_CHANNEL, JobResultSchema, KEY_PREFIX, QUEUE_NAME, type ControlMessage } from './channels.js';
import { parseRedisUrl, redactRedisUrl, type RedisConnection } from './connection.js';

export interface RedisRunQueueDeps extends RunQueueListener {
  /** redis://host:port[/db] */
  url: string;
  /** History stays the server's: each run's final record is written here, then its job leaves Redis. */
  store: RunStore;
}

/** How long to wait before trying again to record a finished job whose history entry could not be written. */
const RECORD_RETRY_MS = 2000;

/**
 * The queue in Redis, through BullMQ: one job per run (job id = run id, data = the queued record). Workers
 * (`kinegraph worker`) take jobs, publish engine events on a pub/sub channel that this relays to the
 * WebSocket, and return the final record; the server writes it to history and only then removes the job,
 * so a server that was down when a job ended records it on start. A worker that dies mid-run loses its lock,
 * and BullMQ's stalled-job check hands the job to another worker (at least once).
 *
 * The queue state the routes read is a mirror kept from BullMQ's events (read whole from Redis on start), so
 * `queueState()` stays synchronous and cheap.
 */
export class RedisRunQueue implements RunQueue {
  private readonly conn: RedisConnection;
  private queue: Queue | undefined;
  private events: QueueEvents | undefined;
  private sub: Redis | undefined;
  private pub: Redis | undefined;
  private paused = false;
  /** Insertion order = start order. */
  private readonly running = new Map<string, RunSummary>();
  private pending: RunSummary[] = [];
  private reserved = 0;
  /** Jobs being recorded: each finished job is written to history once even when its event comes twice. */
  private readonly settling = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly deps: RedisRunQueueDeps) {
    this.conn = parseRedisUrl(deps.url);
  }

  private get q(): Queue {
    if (!this.queue) throw new Error('the Redis queue is not started');
    return this.queue;
  }

  async start(): Promise<void> {
    // The server's own commands give up after a few retries while Redis is away (a submit answers an error
    // instead of hanging); the event reader blocks on Redis and must not.
    this.queue = new Queue(QUEUE_NAME, { connection: { ...this.conn, maxRetriesPerRequest: 2 }, prefix: KEY_PREFIX });
    this.events = new QueueEvents(QUEUE_NAME, { connection: this.conn, prefix: KEY_PREFIX });
    this.queue.on('error', (e: Error) => this.deps.log?.(`redis queue: ${e.message}`));
    this.events.on('error', (e: Error) => this.deps.log?.(`redis queue events: ${e.message}`));
    this.pub = new Redis({ ...this.conn, lazyConnect: true });
    this.sub = new Redis({ ...this.conn, lazyConnect: true });
    for (const c of [this.pub, this.sub]) c.on('error', (e: Error) => this.deps.log?.(`redis: ${e.message}`));
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady(), this.pub.connect(), this.sub.connect()]).catch(
      (e: Error) => {
        this.closed = true;
        // Not awaited: closing waits for a connection that may never come.
        void Promise.allSettled([this.events?.close(), this.queue?.close()]);
        this.pub?.disconnect();
        this.sub?.disconnect();
        throw new Error(`could not reach the queue at ${redactRedisUrl(this.deps.url)}: ${e.message}`);
      },
    );

    this.sub.on('message', (_channel: string, text: string) => this.relay(text));
    await this.sub.subscribe(EVENTS_CHANNEL);
    this.events.on('active', ({ jobId }) => void this.onActive(jobId));
    this.events.on('waiting', ({ jobId }) => void this.onWaiting(jobId));
    this.events.on('completed', ({ jobId }) => void this.settle(jobId));
    this.events.on('failed', ({ jobId }) => void this.settle(jobId));
    this.events.on('removed', ({ jobId }) => this.forget(jobId));
    this.events.on('paused', () => this.setPausedFlag(true));
    this.events.on('resumed', () => this.setPausedFlag(false));

    await this.refresh();
    // Jobs that ended while no server listened: recorded now.
    for (const job of await this.q.getJobs(['completed', 'failed'])) if (job?.id) await this.settle(job.id);
    const local = this.deps.store.pending.length + (this.deps.store.running ? 1 : 0);
    if (local)
      this.deps.log?.(`warning: ${local} run(s) queued in this data folder without --queue stay there; start without --queue to run them`);
    this.deps.log?.(
      `queue in Redis at ${redactRedisUrl(this.deps.url)}: ${this.pending.length} queued, ${this.running.size} running; runs are executed by \`kinegraph worker\` processes`,
    );
  }

  checkRoom(n: number, max: number): void {
    const queued = this.pending.length + this.reserved;
    if (queued + n > max) throw new QueueFullError(queued, max, n);
  }

  async enqueue(records: RunRecord[], max: number, front: boolean): Promise<number[]> {
    this.checkRoom(records.length, max);
    this.reserved += records.length;
    try {
      // BullMQ's lifo puts each job at the head of the list: added last to first, they keep their order there.
      const ordered = front ? [...records].reverse() : records;
      // addBulk is one transaction: all of the batch is queued, or none.
      await this.q.addBulk(
        ordered.map((rec) => ({
          name: 'run',
          data: rec,
          opts: { jobId: rec.runId, lifo: front, removeOnComplete: false, removeOnFail: false },
        })),
      );
    } finally {
      this.reserved -= records.length;
    }
    // BullMQ's events for these jobs may have come first (a fast worker may even have finished one).
    const summaries = records
      .map(summarize)
      .filter((s) => !this.pending.some((p) => p.runId === s.runId) && !this.running.has(s.runId) && !this.ended(s.runId));
    if (front) this.pending.unshift(...summaries);
    else this.pending.push(...summaries);
    const positions = records.map((r) => {
      const i = this.pending.findIndex((p) => p.runId === r.runId);
      return i < 0 ? 0 : this.running.size + i;
    });
    this.deps.onQueueChange();
    return positions;
  }

  async cancelQueued(runId: string): Promise<boolean> {
    if (!this.pending.some((p) => p.runId === runId)) return false;
    const job = await this.q.getJob(runId);
    if (!job) {
      this.forget(runId);
      return false;
    }
    try {
      // Refused (thrown) when a worker holds the job's lock: it is running, not queued.
      await job.remove();
    } catch {
      return false;
    }
    const rec = RunRecordSchema.safeParse(job.data);
    this.forget(runId);
    if (rec.success) await this.deps.store.addFinished({ ...rec.data, status: 'cancelled', finishedAt: Date.now() });
    return true;
  }

  interrupt(runId?: string): string | null {
    const target = runId ?? this.running.keys().next().value;
    if (target === undefined || !this.running.has(target) || !this.pub) return null;
    const msg: ControlMessage = { type: 'interrupt', runId: target };
    void this.pub
      .publish(CONTROL_CHANNEL, JSON.stringify(msg))
      .catch((e: Error) => this.deps.log?.(`could not send the interrupt: ${e.message}`));
    return target;
  }

  async setPaused(paused: boolean): Promise<void> {
    // BullMQ's pause is global: no worker takes a new job; the running ones finish.
    if (paused) await this.q.pause();
    else await this.q.resume();
    this.setPausedFlag(paused);
  }

  queueState(): QueueState {
    const [first, ...more] = [...this.running.values()];
    const state: QueueState = { paused: this.paused, running: first ? { ...first } : null, pending: this.pending.map((s) => ({ ...s })) };
    if (more.length) state.alsoRunning = more.map((s) => ({ ...s }));
    return state;
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const summary = this.running.get(runId) ?? this.pending.find((p) => p.runId === runId);
    if (!summary) return undefined;
    const job = await this.q.getJob(runId);
    const rec = job ? RunRecordSchema.safeParse(job.data) : undefined;
    return rec?.success ? { ...rec.data, ...summary } : undefined;
  }

  async stop(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.settling.values()]);
    await Promise.allSettled([this.events?.close(), this.queue?.close(), this.sub?.quit(), this.pub?.quit()]);
  }

  /** The mirror from Redis as it is now. */
  private async refresh(): Promise<void> {
    this.paused = await this.q.isPaused();
    const active = await this.q.getJobs(['active'], 0, -1, true);
    const waiting = await this.q.getJobs(['waiting', 'prioritized'], 0, -1, true);
    this.running.clear();
    for (const job of active) {
      const s = jobSummary(job, 'running');
      if (s) this.running.set(s.runId, s);
    }
    this.pending = waiting.map((j) => jobSummary(j, 'queued')).filter((s): s is RunSummary => s !== undefined);
    this.deps.onQueueChange();
  }

  /** A worker took the job. */
  private async onActive(jobId: string): Promise<void> {
    let summary = this.pending.find((p) => p.runId === jobId);
    this.pending = this.pending.filter((p) => p.runId !== jobId);
    if (!summary) summary = jobSummary(await this.q.getJob(jobId), 'running');
    // A fast run's end can be recorded before its start is seen: history has it then.
    if (!summary || this.ended(jobId)) return;
    this.running.set(jobId, { ...summary, status: 'running', startedAt: Date.now() });
    this.deps.onQueueChange();
  }

  /** Queued: by this server (already in the mirror), by another client, or back from a worker that died. */
  private async onWaiting(jobId: string): Promise<void> {
    const wasRunning = this.running.get(jobId);
    if (wasRunning) {
      this.running.delete(jobId);
      const again: RunSummary = { ...wasRunning, status: 'queued' };
      delete again.startedAt;
      this.pending.unshift(again);
      this.deps.log?.(`run ${jobId} lost its worker; queued again for another one`);
      this.deps.onQueueChange();
      return;
    }
    if (this.pending.some((p) => p.runId === jobId)) return;
    const s = jobSummary(await this.q.getJob(jobId), 'queued');
    if (s && !this.pending.some((p) => p.runId === jobId) && !this.running.has(jobId) && !this.ended(jobId)) {
      this.pending.push(s);
      this.deps.onQueueChange();
    }
  }

  /** Being recorded or already in history: no longer the queue's. */
  private ended(jobId: string): boolean {
    return this.settling.has(jobId) || this.deps.store.hasFinished(jobId);
  }

  private forget(jobId: string): void {
    const had = this.running.delete(jobId) || this.pending.some((p) => p.runId === jobId);
    this.pending = this.pending.filter((p) => p.runId !== jobId);
    if (had) this.deps.onQueueChange();
  }

  private setPausedFlag(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.deps.onQueueChange();
  }

  /** A job ended (completed with its record, or failed in BullMQ: stalled too often, refused): into history, out of Redis. */
  private settle(jobId: string): Promise<void> {
    const under = this.settling.get(jobId);
    if (under) return under;
    const p = this.record(jobId).finally(() => this.settling.delete(jobId));
    this.settling.set(jobId, p);
    return p;
  }

  private async record(jobId: string): Promise<void> {
    const job = await this.q.getJob(jobId).catch(() => undefined);
    if (!job) return;
    const ended = finalRecord(job);
    if (!ended) {
      this.deps.log?.(`job ${jobId} in Redis is not a Kinegraph run; left there`);
      return;
    }
    try {
      if (!this.deps.store.hasFinished(jobId)) await this.deps.store.addFinished(ended.record);
    } catch (e) {
      // Kept in Redis until it is written: a run is never dropped because a save failed.
      this.deps.log?.(`could not record run ${jobId} (${(e as Error).message}); retrying in ${RECORD_RETRY_MS} ms`);
      if (!this.closed) setTimeout(() => void this.settle(jobId), RECORD_RETRY_MS).unref();
      return;
    }
    await job.remove().catch((e: Error) => this.deps.log?.(`could not remove finished job ${jobId} from Redis: ${e.message}`));
    this.running.delete(jobId);
    this.pending = this.pending.filter((p) => p.runId !== jobId);
    this.deps.onQueueChange();
    // Announced only now, so a client that reads the record on run_finished finds it final.
    if (ended.terminal) this.emit(ended.terminal);
  }

  private relay(text: string): void {
    const msg = decodeEvent(text);
    if (!msg) {
      this.deps.log?.('ignored a message on the events channel that is not an engine event');
      return;
    }
    this.emit(msg.event);
  }

  private emit(e: EngineEvent): void {
    try {
      this.deps.onEvent(e);
    } catch (err) {
      this.deps.log?.(`event listener failed: ${(err as Error).message}`);
    }
  }
}

function jobSummary(job: Job | undefined, status: 'queued' | 'running'): RunSummary | undefined {
  const rec = job ? RunRecordSchema.safeParse(job.data) : undefined;
  if (!rec?.success) return undefined;
  const s = summarize({ ...rec.data, status });
  if (status === 'running' && job?.processedOn) s.startedAt = job.processedOn;
  return s;
}

/** The run's final record (and the event announcing it) from a finished job. */
function finalRecord(job: Job): { record: RunRecord; terminal?: EngineEvent } | undefined {
  const result = JobResultSchema.safeParse(job.returnvalue);
  if (result.success) {
    const terminal = result.data.terminal ? EngineEventSchema.safeParse(result.data.terminal) : undefined;
    return { record: result.data.record, ...(terminal?.success ? { terminal: terminal.data } : {}) };
  }
  const queued = RunRecordSchema.safeParse(job.data);
  if (!queued.success) return undefined;
  // Failed in BullMQ's terms: the worker threw, or the job stalled more often than allowed (workers kept dying).
  const now = job.finishedOn ?? Date.now();
  const message = job.failedReason ? `The run's worker failed: ${job.failedReason}` : 'The run ended without a result';
  const record: RunRecord = {
    ...queued.data,
    status: 'failed',
    finishedAt: now,
    ...(job.processedOn ? { startedAt: job.processedOn, durationMs: now - job.processedOn } : {}),
    error: { code: 'node_failed', message },
  };
  const terminal: EngineEvent = {
    type: 'run_failed',
    runId: record.runId,
    time: now,
    durationMs: record.durationMs ?? 0,
    error: { code: 'node_failed', message },
  };
  return { record, terminal };
}
