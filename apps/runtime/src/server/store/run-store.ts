import { settleNodeStates } from '@kinegraph/graph-core';
import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { RunRecordSchema, type NodeRunInfo, type QueueState, type RunRecord, type RunSummary } from '../../protocol/index.js';
import { HistoryIndex, summarize } from './history-index.js';
import { readJsonFile, writeJsonAtomic } from './json-file.js';
import { LatestWriter } from './latest-writer.js';
import { readQueueFile, type QueueFileV2 } from './queue-file.js';
import { QueueFullError } from './store-error.js';

export { summarize } from './history-index.js';

export const STOPPED_DURING_RUN = 'server stopped during the run';

export interface RunStoreOptions {
  /** How many times a run a crash cut short is run again on restart (default 1: at least once, as job queues promise). */
  crashRetries?: number;
  log?: (msg: string) => void;
}

/**
 * Queue and history, persisted in the data folder. Every accepted run is written to `queue/<runId>.json` before
 * it is acknowledged (write-ahead, fsync'd) and moves to `history/<runId>.json` when it ends; while it runs, its
 * node states are written as they change. `queue.json` only keeps the order and the paused flag: when it can
 * not be written (or read) the runs are still there, each in its own file, so a failed save never loses or
 * blocks an accepted run. Pending runs are held as summaries; their workflows stay on disk until they start.
 */
export class RunStore {
  paused = false;
  running: RunRecord | null = null;
  /** Oldest first. */
  readonly pending: RunSummary[] = [];
  private runningWriter: LatestWriter<RunRecord> | undefined;
  private readonly indexWriter: LatestWriter<QueueFileV2>;
  /** Runs being written by enqueue, counted against the queue's limit before they are in `pending`. */
  private reserved = 0;
  /** Cancelling, starting and finishing take turns, so none sees another's half-done change. */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly history: HistoryIndex,
    private readonly log: (msg: string) => void,
  ) {
    this.indexWriter = new LatestWriter((q) => writeJsonAtomic(this.queueFile, q));
  }

  static async open(dir: string, logOrOptions: RunStoreOptions | ((msg: string) => void) = {}): Promise<RunStore> {
    const opts = typeof logOrOptions === 'function' ? { log: logOrOptions } : logOrOptions;
    const log = opts.log ?? ((m: string) => console.warn(`kinegraph: ${m}`));
    await mkdir(path.join(dir, 'history'), { recursive: true });
    await mkdir(path.join(dir, 'queue'), { recursive: true });
    const store = new RunStore(dir, await HistoryIndex.open(path.join(dir, 'history'), log), log);
    await store.recover(opts.crashRetries ?? 1);
    return store;
  }

  private get queueFile(): string {
    return path.join(this.dir, 'queue.json');
  }

  private queuedFile(runId: string): string {
    return path.join(this.dir, 'queue', `${runId}.json`);
  }

  /**
   * Rebuilds the queue from the runs' own files (queue.json gives the order), finishes a crash's leftovers and
   * requeues a run a crash cut short (once by default), saying so in its record.
   */
  private async recover(crashRetries: number): Promise<void> {
    const q = await readQueueFile(this.queueFile, this.log);
    this.paused = q?.paused ?? false;
    // A version 1 queue file held whole records: give each its own file first.
    for (const rec of q?.records ?? []) if (!this.history.has(rec.runId)) await writeJsonAtomic(this.queuedFile(rec.runId), rec);

    const found = new Map<string, RunRecord>();
    for (const f of await readdir(path.join(this.dir, 'queue'))) {
      if (!f.endsWith('.json')) continue;
      const runId = f.slice(0, -5);
      const file = this.queuedFile(runId);
      // Finished, but the crash came before its queue file was removed: history has it.
      if (this.history.has(runId)) {
        await unlink(file).catch(() => undefined);
        continue;
      }
      try {
        const rec = await readJsonFile(file, RunRecordSchema);
        if (rec) found.set(runId, rec);
      } catch (e) {
        const aside = `${file}.unreadable-${Date.now()}`;
        await rename(file, aside).catch(() => undefined);
        this.log(`queued run ${runId} was unreadable (${(e as Error).message}); moved to ${aside}`);
      }
    }
    const order = [...(q?.order ?? [])];
    for (const id of [...found.keys()].sort()) if (!order.includes(id)) order.push(id);

    const front: RunSummary[] = [];
    for (const id of order) {
      const rec = found.get(id);
      if (!rec) continue;
      found.delete(id);
      if (rec.status !== 'running') {
        this.pending.push(summarize({ ...rec, status: 'queued' }));
        continue;
      }
      const attempt = rec.attempt ?? 1;
      const nodes = closeNodes(rec.nodes);
      if (attempt <= crashRetries) {
        const again: RunRecord = {
          ...rec,
          status: 'queued',
          attempt: attempt + 1,
          requeuedAfterCrash: true,
          previousAttempts: [
            ...(rec.previousAttempts ?? []),
            { attempt, ...(rec.startedAt !== undefined ? { startedAt: rec.startedAt } : {}), nodes },
          ],
          nodes: {},
          outputs: [],
        };
        delete again.startedAt;
        delete again.error;
        await writeJsonAtomic(this.queuedFile(id), again);
        front.push(summarize(again));
        this.log(`run ${id} was cut short by a crash; running it again (attempt ${attempt + 1})`);
      } else {
        const now = Date.now();
        await this.history.add({
          ...rec,
          status: 'failed',
          finishedAt: now,
          durationMs: rec.startedAt ? now - rec.startedAt : undefined,
          nodes,
          error: { code: 'node_failed', message: STOPPED_DURING_RUN },
        });
        await unlink(this.queuedFile(id)).catch(() => undefined);
        this.log(`run ${id} was cut short by a crash on attempt ${attempt}; recorded as failed`);
      }
    }
    this.pending.unshift(...front);
    await this.saveIndex().catch((e) =>
      this.log(`could not save the queue order (the runs are safe in their files): ${(e as Error).message}`),
    );
  }

  /** queue.json: order and paused flag only. Writes coalesce; the newest state is what lands. */
  private saveIndex(): Promise<void> {
    this.indexWriter.schedule({
      version: 2,
      paused: this.paused,
      running: this.running ? summarize(this.running) : null,
      pending: this.pending.map((s) => ({ ...s })),
    });
    return this.indexWriter.flush();
  }

  /** Order is kept in each run's file too; a failed index save is only logged. */
  private saveIndexQuietly(): void {
    this.saveIndex().catch((e) => this.log(`could not save queue.json (the runs are safe in their own files): ${(e as Error).message}`));
  }

  /** Throws QueueFullError when `n` more runs would take the queue past `max`. */
  checkRoom(n: number, max: number): void {
    const queued = this.pending.length + this.reserved;
    if (queued + n > max) throw new QueueFullError(queued, max, n);
  }

  /**
   * Durably records the runs (each in its own file) before they count as accepted. All or nothing: when one
   * can not be written the others of the batch are removed again and the error (a StoreError) is thrown.
   * Throws QueueFullError (writing nothing) when they would take the queue past `maxPending`. `front`: ahead of
   * the other queued runs.
   */
  async enqueue(records: RunRecord[], maxPending = Infinity, front = false): Promise<void> {
    this.checkRoom(records.length, maxPending);
    this.reserved += records.length;
    const written: string[] = [];
    try {
      for (const rec of records) {
        await writeJsonAtomic(this.queuedFile(rec.runId), rec);
        written.push(rec.runId);
      }
    } catch (e) {
      for (const id of written) await unlink(this.queuedFile(id)).catch(() => undefined);
      throw e;
    } finally {
      this.reserved -= records.length;
    }
    // `front`: next after the running one (queue to front); the index keeps that order across a restart.
    if (front) this.pending.unshift(...records.map(summarize));
    else this.pending.push(...records.map(summarize));
    this.saveIndexQuietly();
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => undefined);
    return run;
  }

  async setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
    await this.saveIndex();
  }

  /** Removes a queued run (recorded in history as cancelled). False when it is not queued. */
  cancelQueued(runId: string): Promise<boolean> {
    return this.inTurn(() => this.cancelNow(runId));
  }

  private async cancelNow(runId: string): Promise<boolean> {
    const i = this.pending.findIndex((r) => r.runId === runId);
    if (i < 0) return false;
    const rec = await this.readQueued(runId);
    if (!rec) {
      this.pending.splice(i, 1);
      return false;
    }
    // Taken out only once its history entry is written: a failed write leaves it queued.
    await this.history.add({ ...rec, status: 'cancelled', finishedAt: Date.now() });
    const j = this.pending.findIndex((r) => r.runId === runId);
    if (j >= 0) this.pending.splice(j, 1);
    await unlink(this.queuedFile(runId)).catch(() => undefined);
    this.saveIndexQuietly();
    return true;
  }

  /**
   * Moves the first pending run to running, persisted (its file says running) before it starts. When that
   * write fails the run stays first in the queue and the error is thrown.
   */
  startNext(): Promise<RunRecord | undefined> {
    return this.inTurn(() => this.startNow());
  }

  private async startNow(): Promise<RunRecord | undefined> {
    while (this.pending.length) {
      const next = this.pending[0]!;
      const rec = await this.readQueued(next.runId);
      if (!rec) {
        this.pending.shift(); // its file is gone or was moved aside (logged): nothing to run
        continue;
      }
      const running: RunRecord = { ...rec, status: 'running', startedAt: Date.now(), nodes: {} };
      await writeJsonAtomic(this.queuedFile(rec.runId), running);
      this.pending.shift();
      this.running = running;
      this.runningWriter = new LatestWriter((r) => writeJsonAtomic(this.queuedFile(r.runId), r));
      this.saveIndexQuietly();
      return running;
    }
    return undefined;
  }

  /** The running run never ran (the server stopped as it started): back to first in the queue. */
  returnRunning(): Promise<void> {
    return this.inTurn(async () => {
      const rec = this.running;
      if (!rec) return;
      const queued: RunRecord = { ...rec, status: 'queued', nodes: {} };
      delete queued.startedAt;
      this.runningWriter?.cancel();
      await this.runningWriter?.flush().catch(() => undefined);
      await writeJsonAtomic(this.queuedFile(rec.runId), queued).catch((e) =>
        this.log(`could not return run ${rec.runId} to the queue: ${(e as Error).message}`),
      );
      this.running = null;
      this.runningWriter = undefined;
      this.pending.unshift(summarize(queued));
      this.saveIndexQuietly();
    });
  }

  /** The running run's node states changed: written soon (coalesced), so a crash finds them. */
  updateRunning(nodes: Record<string, NodeRunInfo>): void {
    if (!this.running || !this.runningWriter) return;
    this.running = { ...this.running, nodes: { ...nodes } };
    this.runningWriter.schedule(this.running);
  }

  /**
   * The running run ended: its history entry is written first, then its queue file removed (a crash between
   * leaves both, and opening keeps the history one). Throws when the history entry can not be written; the run
   * then stays running, to be recorded by a retry.
   */
  finishRunning(rec: RunRecord): Promise<void> {
    return this.inTurn(() => this.finishNow(rec));
  }

  private async finishNow(rec: RunRecord): Promise<void> {
    const writer = this.runningWriter;
    writer?.cancel();
    await writer?.flush().catch(() => undefined);
    await this.history.add(rec);
    this.running = null;
    this.runningWriter = undefined;
    await unlink(this.queuedFile(rec.runId)).catch(() => undefined);
    this.saveIndexQuietly();
  }

  /** Queued, running or finished; read from disk unless it is the running run. */
  async get(runId: string): Promise<RunRecord | undefined> {
    if (this.running?.runId === runId) return this.running;
    if (this.pending.some((r) => r.runId === runId)) {
      const rec = await this.readQueued(runId);
      if (rec) return rec;
    }
    return this.history.read(runId);
  }

  /** A run that ended outside this store's queue (a `kinegraph worker` ran it): its history entry. */
  addFinished(rec: RunRecord): Promise<void> {
    return this.history.add(rec);
  }

  hasFinished(runId: string): boolean {
    return this.history.has(runId);
  }

  deleteHistory(runId: string): Promise<boolean> {
    return this.history.delete(runId);
  }

  historyPage(o: { limit: number; offset?: number; cursor?: string }) {
    return this.history.page(o);
  }

  queueState(): QueueState {
    return { paused: this.paused, running: this.running ? summarize(this.running) : null, pending: this.pending.map((s) => ({ ...s })) };
  }

  /** Waits for every write under way (shutdown). */
  async flush(): Promise<void> {
    await this.runningWriter?.flush().catch(() => undefined);
    await this.indexWriter.flush().catch((e) => this.log(`could not save queue.json: ${(e as Error).message}`));
  }

  private async readQueued(runId: string): Promise<RunRecord | undefined> {
    try {
      const rec = await readJsonFile(this.queuedFile(runId), RunRecordSchema);
      if (!rec) this.log(`queued run ${runId} has no file any more; dropped from the queue`);
      return rec;
    } catch (e) {
      const file = this.queuedFile(runId);
      const aside = `${file}.unreadable-${Date.now()}`;
      await rename(file, aside).catch(() => undefined);
      this.log(`queued run ${runId} was unreadable (${(e as Error).message}); moved to ${aside}`);
      return undefined;
    }
  }
}

/** The run ended (or a crash or a stop cut it short): running nodes were interrupted, pending ones never reached. */
export function closeNodes(nodes: Record<string, NodeRunInfo>): Record<string, NodeRunInfo> {
  const out: Record<string, NodeRunInfo> = { ...nodes };
  settleNodeStates(out);
  return out;
}
