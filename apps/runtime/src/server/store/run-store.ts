import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RunRecordSchema, type QueueState, type RunRecord, type RunSummary } from '../../protocol/index.js';
import { readJsonFile, writeJsonAtomic } from './json-file.js';

const QueueFileSchema = z.object({
  version: z.literal(1),
  paused: z.boolean(),
  running: RunRecordSchema.nullable(),
  pending: z.array(RunRecordSchema),
});

export const STOPPED_DURING_RUN = 'server stopped during the run';

/**
 * Queue and history, persisted in the data folder: `queue.json` (paused flag, the running run, the pending runs)
 * and one `history/<runId>.json` per finished run. Every write is atomic. On open, a run that was executing when
 * the process died is moved to history as failed.
 */
export class RunStore {
  paused = false;
  running: RunRecord | null = null;
  readonly pending: RunRecord[] = [];
  /** Newest first. */
  private history: RunRecord[] = [];
  private readonly byId = new Map<string, RunRecord>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string, log: (msg: string) => void = (m) => console.warn(`kinegraph: ${m}`)): Promise<RunStore> {
    const store = new RunStore(dir);
    await mkdir(path.join(dir, 'history'), { recursive: true });
    for (const f of await readdir(path.join(dir, 'history'))) {
      if (!f.endsWith('.json')) continue; // leftovers of an interrupted atomic write end differently
      try {
        const rec = await readJsonFile(path.join(dir, 'history', f), RunRecordSchema);
        if (rec) store.history.push(rec);
      } catch (e) {
        log(`skipping unreadable history entry ${f}: ${(e as Error).message}`);
      }
    }
    store.history.sort((a, b) => b.createdAt - a.createdAt);
    for (const r of store.history) store.byId.set(r.runId, r);
    let q: z.infer<typeof QueueFileSchema> | undefined;
    try {
      q = await readJsonFile(store.queueFile, QueueFileSchema);
    } catch (e) {
      // Atomic writes make this unlikely (a hand edit, a full disk); keep the file for the user, start empty.
      const aside = `${store.queueFile}.unreadable-${Date.now()}`;
      await rename(store.queueFile, aside);
      log(`queue file was unreadable (${(e as Error).message}); moved to ${aside}, starting with an empty queue`);
    }
    if (q) {
      store.paused = q.paused;
      for (const r of q.pending) if (!store.byId.has(r.runId)) store.pending.push({ ...r, status: 'queued' });
      if (q.running && !store.byId.has(q.running.runId)) {
        const now = Date.now();
        await store.addHistory({
          ...q.running,
          status: 'failed',
          finishedAt: now,
          durationMs: q.running.startedAt ? now - q.running.startedAt : undefined,
          error: { code: 'node_failed', message: STOPPED_DURING_RUN },
        });
      }
    }
    await store.saveQueue();
    return store;
  }

  private get queueFile() {
    return path.join(this.dir, 'queue.json');
  }

  private saveQueue(): Promise<void> {
    return writeJsonAtomic(this.queueFile, { version: 1, paused: this.paused, running: this.running, pending: this.pending });
  }

  private async addHistory(rec: RunRecord): Promise<void> {
    await writeJsonAtomic(path.join(this.dir, 'history', `${rec.runId}.json`), rec);
    this.history.unshift(rec);
    this.history.sort((a, b) => b.createdAt - a.createdAt);
    this.byId.set(rec.runId, rec);
  }

  async enqueue(records: RunRecord[]): Promise<void> {
    this.pending.push(...records);
    await this.saveQueue();
  }

  async setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
    await this.saveQueue();
  }

  /** Removes a queued run (recorded in history as cancelled). False when it is not queued. */
  async cancelQueued(runId: string): Promise<boolean> {
    const i = this.pending.findIndex((r) => r.runId === runId);
    if (i < 0) return false;
    const [rec] = this.pending.splice(i, 1);
    await this.saveQueue();
    await this.addHistory({ ...rec!, status: 'cancelled', finishedAt: Date.now() });
    return true;
  }

  /** Moves the first pending run to running (persisted before it starts). */
  async startNext(): Promise<RunRecord | undefined> {
    const next = this.pending.shift();
    if (!next) return undefined;
    this.running = { ...next, status: 'running', startedAt: Date.now() };
    await this.saveQueue();
    return this.running;
  }

  /** The running run ended: write its history entry first, then the queue (a crash between leaves no duplicate). */
  async finishRunning(rec: RunRecord): Promise<void> {
    await this.addHistory(rec);
    this.running = null;
    await this.saveQueue();
  }

  get(runId: string): RunRecord | undefined {
    if (this.running?.runId === runId) return this.running;
    return this.pending.find((r) => r.runId === runId) ?? this.byId.get(runId);
  }

  async deleteHistory(runId: string): Promise<boolean> {
    if (!this.byId.has(runId)) return false;
    this.byId.delete(runId);
    this.history = this.history.filter((r) => r.runId !== runId);
    await unlink(path.join(this.dir, 'history', `${runId}.json`)).catch((e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    });
    return true;
  }

  historyPage(offset: number, limit: number): { total: number; items: RunSummary[] } {
    return { total: this.history.length, items: this.history.slice(offset, offset + limit).map(summarize) };
  }

  queueState(): QueueState {
    return { paused: this.paused, running: this.running ? summarize(this.running) : null, pending: this.pending.map(summarize) };
  }
}

export function summarize(r: RunRecord): RunSummary {
  const s: RunSummary = { runId: r.runId, status: r.status, createdAt: r.createdAt };
  if (r.startedAt !== undefined) s.startedAt = r.startedAt;
  if (r.finishedAt !== undefined) s.finishedAt = r.finishedAt;
  if (r.durationMs !== undefined) s.durationMs = r.durationMs;
  if (r.title !== undefined) s.title = r.title;
  return s;
}
