import { randomBytes } from 'node:crypto';
import type { Engine, EngineEvent, NodeRegistry, Services } from '@kinegraph/graph-core';
import type { QueueState, RunRecord, SubmitRunBody, SubmitRunResponse } from '../../protocol/index.js';
import { HttpError } from '../http-error.js';
import type { RunStore } from '../store/run-store.js';
import { prepareRuns } from './prepare-run.js';
import { RunExecutor } from './run-executor.js';

export interface RunServiceDeps {
  store: RunStore;
  engine: Engine;
  registry: NodeRegistry;
  services: Services;
  hashFile: (ref: string) => Promise<string>;
  /** Every engine event (live state, WebSocket hub). */
  onEvent: (e: EngineEvent) => void;
  /** The queue changed; `queue` is its new state. */
  onQueue: (queue: QueueState) => void;
  onIdle?: () => void;
  idleMs?: number;
  log?: (msg: string) => void;
}

/** The queue as the routes see it: submit, cancel, pause, interrupt. One executor runs it, one run at a time. */
export class RunService {
  readonly executor: RunExecutor;

  constructor(private readonly deps: RunServiceDeps) {
    this.executor = new RunExecutor({
      store: deps.store,
      engine: deps.engine,
      onEvent: deps.onEvent,
      onQueueChange: () => this.notify(),
      onIdle: deps.onIdle,
      idleMs: deps.idleMs,
      log: deps.log,
    });
  }

  /** Starts the runs left queued by an earlier process (unless the queue is paused). */
  start(): void {
    this.executor.kick();
  }

  /** Validates, resolves and queues; a 400 with every problem per node and field when the workflow is invalid. */
  async submit(body: SubmitRunBody): Promise<SubmitRunResponse> {
    const prepared = await prepareRuns(body.workflow, {
      registry: this.deps.registry,
      services: this.deps.services,
      hashFile: this.deps.hashFile,
      batch: body.batch,
      targets: body.targets,
      force: body.force,
    });
    if (!prepared.ok) {
      const n = prepared.issues.length;
      throw new HttpError(400, 'validation_failed', `The workflow has ${n} problem${n === 1 ? '' : 's'}`, prepared.issues.map((i) => ({ ...i })));
    }
    const now = Date.now();
    const records: RunRecord[] = prepared.runs.map((r) => {
      const rec: RunRecord = {
        runId: newRunId(),
        status: 'queued',
        createdAt: now,
        workflow: r.workflow as RunRecord['workflow'],
        inputHashes: r.inputHashes,
        nodeVersions: r.nodeVersions,
        models: r.models,
        nodes: {},
        outputs: [],
      };
      const title = r.workflow.meta?.name;
      if (title) rec.title = title;
      if (body.targets) rec.targets = body.targets;
      if (body.force) rec.force = body.force;
      if (body.clientId) rec.clientId = body.clientId;
      return rec;
    });
    await this.deps.store.enqueue(records);
    // Position = how many runs are ahead of it (the running one included), taken before the executor moves any.
    const ahead = this.deps.store.running ? 1 : 0;
    const pending = this.deps.store.pending;
    const runs = records.map((r) => ({ runId: r.runId, position: ahead + pending.indexOf(r) }));
    this.notify();
    this.executor.kick();
    return { runs };
  }

  /** Removes a queued run, or interrupts it when it is the one running. */
  async cancel(runId: string): Promise<'cancelled' | 'interrupting'> {
    if (await this.deps.store.cancelQueued(runId)) {
      this.notify();
      return 'cancelled';
    }
    if (this.executor.interrupt(runId)) return 'interrupting';
    throw new HttpError(404, 'not_found', `Run "${runId}" is neither queued nor running`);
  }

  interrupt(runId?: string): string | null {
    return this.executor.interrupt(runId);
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.deps.store.setPaused(paused);
    this.notify();
    if (!paused) this.executor.kick();
  }

  queueState(): QueueState {
    return this.deps.store.queueState();
  }

  async stop(): Promise<void> {
    await this.executor.stop();
  }

  private notify(): void {
    this.deps.onQueue(this.deps.store.queueState());
  }
}

/** Time-ordered and unique; also a safe file name (see RunIdSchema). */
function newRunId(): string {
  return `r${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}
