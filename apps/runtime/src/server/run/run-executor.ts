import type { Engine, EngineEvent } from '@kinegraph/graph-core';
import type { RunRecord } from '../../protocol/index.js';
import type { RunStore } from '../store/run-store.js';
import { executeRun } from './execute-run.js';
/** Retry delays when a run's end can not be recorded (a full disk): the run is kept, never dropped. */
const RECORD_RETRY_MS = [200, 500, 1000, 2000, 5000];

export interface ExecutorDeps {
  store: RunStore;
  engine: Engine;
  /** Every engine event of every run (the WebSocket hub, live state). */
  onEvent: (e: EngineEvent) => void;
  /** The queue changed (a run started, ended, was added or removed). */
  onQueueChange: () => void;
  /** Called when no run has started for a while (unload models). */
  onIdle?: () => void;
  idleMs?: number;
  log?: (msg: string) => void;
}

/**
 * Runs the queue: one run at a time (one device), in order. A failed or interrupted run is recorded and the
 * next one starts; an unexpected engine error becomes a failed run, never a stopped queue. Node states are
 * recorded as they change; the run's end is announced (run_finished, ...) only once its record is final.
 */
export class RunExecutor {
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: ExecutorDeps) {
    this.armIdle();
  }

  /** Starts the loop if there is work and it is not paused. */
  kick(): void {
    if (this.loop || this.stopped || this.deps.store.paused || this.deps.store.pending.length === 0) return;
    let failed = false;
    this.loop = this.drain()
      .catch((e) => {
        // Only starting a run can fail here (its file can not be written: disk full); it stays first in the queue.
        failed = true;
        this.deps.log?.(`could not start the next run, retrying in 5 s: ${(e as Error).message}`);
      })
      .finally(() => {
        this.loop = undefined;
        this.armIdle();
        if (failed) setTimeout(() => this.kick(), 5000).unref();
        else this.kick();
      });
  }

  /** Interrupts the running run (if it is `runId`, when given). Returns the interrupted run id. */
  interrupt(runId?: string): string | null {
    const running = this.deps.store.running;
    if (!running || !this.abort || (runId !== undefined && runId !== running.runId)) return null;
    this.abort.abort();
    return running.runId;
  }

  /** Stops taking new runs and interrupts the current one; resolves when it has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    this.abort?.abort();
    await this.loop;
  }

  /** Resolves when the queue is empty or paused and nothing runs. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  private async drain(): Promise<void> {
    clearTimeout(this.idleTimer);
    while (!this.stopped && !this.deps.store.paused) {
      const rec = await this.deps.store.startNext();
      if (!rec) return;
      if (this.stopped) {
        // Stopped while it was being started: it never ran, so it stays first in the queue.
        await this.deps.store.returnRunning();
        return;
      }
      this.deps.onQueueChange();
      const { done, terminal } = await this.execute(rec);
      await this.record(done);
      // Announced only now, so a client that reads the record on run_finished finds it final.
      if (terminal) this.emit(terminal);
      this.deps.onQueueChange();
    }
  }

  /** Writes the run's end, retrying until it is written: a run is never dropped because a save failed. */
  private async record(done: RunRecord): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.store.finishRunning(done);
        return;
      } catch (e) {
        const wait = RECORD_RETRY_MS[Math.min(attempt, RECORD_RETRY_MS.length - 1)]!;
        // Stopping: the run's own file still says running, so the next start finds it (and runs it again).
        if (this.stopped && attempt >= 3) {
          this.deps.log?.(`could not record run ${done.runId} before stopping (${(e as Error).message}); its queue file keeps it`);
          return;
        }
        this.deps.log?.(`could not record the end of run ${done.runId} (${(e as Error).message}); retrying in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private emit(e: EngineEvent): void {
    try {
      this.deps.onEvent(e);
    } catch (err) {
      this.deps.log?.(`event listener failed: ${(err as Error).message}`);
    }
  }

  private async execute(rec: RunRecord): Promise<{ done: RunRecord; terminal?: EngineEvent }> {
    const abort = new AbortController();
    this.abort = abort;
    if (this.stopped) abort.abort();
    try {
      return await executeRun(this.deps.engine, rec, {
        signal: abort.signal,
        onEvent: (e) => this.emit(e),
        onNodes: (nodes) => this.deps.store.updateRunning(nodes),
        stopping: () => this.stopped,
        log: this.deps.log,
      });
    } finally {
      this.abort = undefined;
    }
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.deps.onIdle || !this.deps.idleMs || this.stopped) return;
    this.idleTimer = setTimeout(() => this.deps.onIdle?.(), this.deps.idleMs);
    this.idleTimer.unref();
  }
}
