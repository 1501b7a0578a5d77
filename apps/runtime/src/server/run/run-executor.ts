import { formatIssue, type Engine, type EngineEvent, type GraphIssue, type RunResult } from '@kinegraph/graph-core';
import { fileUrl, type NodeRunInfo, type RunOutput, type RunRecord } from '../../protocol/index.js';
import { closeNodes, STOPPED_DURING_RUN, type RunStore } from '../store/run-store.js';

const TERMINAL = new Set<EngineEvent['type']>(['run_finished', 'run_failed', 'run_interrupted']);
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
    const nodes: Record<string, NodeRunInfo> = {};
    for (const id of Object.keys((rec.workflow as { nodes?: object }).nodes ?? {})) nodes[id] = { status: 'skipped' };
    this.deps.store.updateRunning(nodes);
    let terminal: EngineEvent | undefined;
    const onEvent = (e: EngineEvent) => {
      let changed = true;
      switch (e.type) {
        case 'node_started':
          nodes[e.nodeId] = { status: 'running' };
          break;
        case 'node_cached':
          nodes[e.nodeId] = { status: 'cached', tier: e.tier };
          break;
        case 'node_finished':
          if (!e.cached) nodes[e.nodeId] = { status: 'executed', durationMs: e.durationMs };
          else if (nodes[e.nodeId]?.status !== 'cached') nodes[e.nodeId] = { status: 'cached' };
          break;
        case 'node_failed':
          nodes[e.nodeId] = { status: 'failed' };
          break;
        case 'run_interrupted':
          if (e.nodeId) nodes[e.nodeId] = { status: 'interrupted' };
          break;
        default:
          changed = false;
      }
      if (changed) this.deps.store.updateRunning(nodes);
      if (TERMINAL.has(e.type)) terminal = e;
      else this.emit(e);
    };
    let result: RunResult;
    try {
      result = await this.deps.engine.run(rec.workflow, {
        runId: rec.runId,
        targets: rec.targets,
        force: rec.force,
        signal: abort.signal,
        onEvent,
      });
    } catch (e) {
      const error: GraphIssue = { code: 'node_failed', message: `Unexpected engine error: ${(e as Error).message}` };
      this.deps.log?.(`run ${rec.runId} crashed: ${(e as Error).stack ?? e}`);
      result = { runId: rec.runId, status: 'failed', executed: [], cached: [], outputs: {}, ui: {}, durationMs: Date.now() - (rec.startedAt ?? Date.now()), error };
    } finally {
      this.abort = undefined;
    }
    const outputs: RunOutput[] = [];
    for (const [nodeId, list] of Object.entries(result.ui ?? {})) {
      for (const ui of list) {
        if (!ui.filename || !ui.folder) continue;
        outputs.push({ nodeId, kind: ui.kind, filename: ui.filename, folder: ui.folder, mime: ui.mime, url: fileUrl(ui.folder, ui.filename) });
      }
    }
    const finishedAt = Date.now();
    const done: RunRecord = {
      ...rec,
      status: result.status,
      finishedAt,
      durationMs: result.durationMs ?? finishedAt - (rec.startedAt ?? finishedAt),
      nodes: closeNodes(nodes),
      outputs,
    };
    if (result.error) done.error = { ...result.error };
    if (this.stopped && result.status === 'interrupted') {
      // Shutting down is not the user's interrupt: record it the way a crash would be found on restart.
      done.status = 'failed';
      done.error = { code: 'node_failed', message: STOPPED_DURING_RUN };
    }
    const issues = (result as { issues?: GraphIssue[] }).issues;
    if (issues?.length && done.error) done.error.message += issues.map((i) => `\n${formatIssue(i)}`).join('');
    return { done, terminal };
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.deps.onIdle || !this.deps.idleMs || this.stopped) return;
    this.idleTimer = setTimeout(() => this.deps.onIdle?.(), this.deps.idleMs);
    this.idleTimer.unref();
  }
}
