import type { Engine } from '@kinegraph/graph-core';
import type { QueueState, RunRecord } from '../../protocol/index.js';
import { RunExecutor } from '../run/run-executor.js';
import type { RunStore } from '../store/run-store.js';
import type { RunQueue, RunQueueListener } from './run-queue.js';

export interface LocalRunQueueDeps extends RunQueueListener {
  store: RunStore;
  engine: Engine;
  /** Called when no run has started for a while (unload models). */
  onIdle?: () => void;
  idleMs?: number;
}

/** The default queue: persisted in the data folder (RunStore) and run here, one run at a time (RunExecutor). */
export class LocalRunQueue implements RunQueue {
  readonly executor: RunExecutor;

  constructor(private readonly deps: LocalRunQueueDeps) {
    this.executor = new RunExecutor({
      store: deps.store,
      engine: deps.engine,
      onEvent: deps.onEvent,
      onQueueChange: deps.onQueueChange,
      onIdle: deps.onIdle,
      idleMs: deps.idleMs,
      log: deps.log,
    });
  }

  async start(): Promise<void> {
    this.executor.kick();
  }

  checkRoom(n: number, max: number): void {
    this.deps.store.checkRoom(n, max);
  }

  async enqueue(records: RunRecord[], max: number, front: boolean): Promise<number[]> {
    await this.deps.store.enqueue(records, max, front);
    const ahead = this.deps.store.running ? 1 : 0;
    const ids = this.deps.store.pending.map((s) => s.runId);
    const positions = records.map((r) => ahead + ids.indexOf(r.runId));
    this.deps.onQueueChange();
    this.executor.kick();
    return positions;
  }

  async cancelQueued(runId: string): Promise<boolean> {
    const cancelled = await this.deps.store.cancelQueued(runId);
    if (cancelled) this.deps.onQueueChange();
    return cancelled;
  }

  interrupt(runId?: string): string | null {
    return this.executor.interrupt(runId);
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.deps.store.setPaused(paused);
    this.deps.onQueueChange();
    if (!paused) this.executor.kick();
  }

  queueState(): QueueState {
    return this.deps.store.queueState();
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    if (this.deps.store.running?.runId === runId || this.deps.store.pending.some((r) => r.runId === runId))
      return this.deps.store.get(runId);
    return undefined;
  }

  async stop(): Promise<void> {
    await this.executor.stop();
    await this.deps.store.flush();
  }
}
