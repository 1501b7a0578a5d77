import { randomBytes } from 'node:crypto';
import { capIssues, type Engine, type EngineEvent, type GraphIssue, type NodeRegistry, type Services } from '@kinegraph/graph-core';
import type { QueueState, RunRecord, SubmitRunBody, SubmitRunResponse } from '../../protocol/index.js';
import { HttpError } from '../http-error.js';
import type { RunStore } from '../store/run-store.js';
import { QueueFullError } from '../store/store-error.js';
import { prepareRuns } from './prepare-run.js';
import { PathsToken } from '@kinegraph/nodes';
import { prepareVariantRuns } from './variant-runs.js';
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
  /** Most runs waiting in the queue (default 1000); past it a submission is refused with 429. */
  maxQueuedRuns?: number;
  log?: (msg: string) => void;
}

/** The queue as the routes see it: submit, cancel, pause, interrupt. One executor runs it, one run at a time. */
export class RunService {
  readonly executor: RunExecutor;
  /** Set when the server is shutting down: no new runs are taken. */
  private closing = false;

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
    this.refuseWhenClosing();
    const maxQueued = this.deps.maxQueuedRuns ?? 1000;
    // Checked before the work of preparing, and again (atomically) when the runs are written.
    this.queueFull(() => this.deps.store.checkRoom(body.batch, maxQueued));
    // A sweep (or each) is one prepared run per variant, each checked like a single submit.
    const inputDir = this.deps.services.has(PathsToken) ? this.deps.services.get(PathsToken).inputDir : undefined;
    const prepared = await prepareVariantRuns(body, this.deps.registry, inputDir, (doc) =>
      prepareRuns(doc, {
        registry: this.deps.registry,
        services: this.deps.services,
        hashFile: this.deps.hashFile,
        batch: body.batch,
        targets: body.targets,
        force: body.force,
      }),
    );
    if (!prepared.ok) throw this.invalid(prepared);
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
      if (title || r.label) rec.title = [title, r.label].filter(Boolean).join(' · ');
      if (r.variant) rec.variant = r.variant;
      if (body.targets) rec.targets = body.targets;
      if (body.force) rec.force = body.force;
      if (body.clientId) rec.clientId = body.clientId;
      return rec;
    });
    this.refuseWhenClosing();
    await this.queueFull(() => this.deps.store.enqueue(records, maxQueued, body.front === true));
    // Position = how many runs are ahead of it (the running one included), taken before the executor moves any.
    const ahead = this.deps.store.running ? 1 : 0;
    const ids = this.deps.store.pending.map((s) => s.runId);
    const runs = records.map((r) => ({ runId: r.runId, position: ahead + ids.indexOf(r.runId) }));
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

  /** Stops taking runs (submissions answer 503), interrupts the running one and waits until it is recorded. */
  async stop(): Promise<void> {
    this.closing = true;
    await this.executor.stop();
    await this.deps.store.flush();
  }

  private refuseWhenClosing(): void {
    if (this.closing) throw new HttpError(503, 'shutting_down', 'The server is shutting down and takes no new runs');
  }

  private queueFull<T>(fn: () => T): T {
    const answer = (e: unknown): never => {
      if (e instanceof QueueFullError) throw new HttpError(429, 'queue_full', e.message, undefined, { limit: { name: 'maxQueuedRuns', max: e.max } });
      throw e;
    };
    try {
      const r = fn();
      return (r instanceof Promise ? r.catch(answer) : r) as T;
    } catch (e) {
      return answer(e);
    }
  }

  /** The 400 for an invalid workflow: the first problems and a count of the rest, so the answer stays small. */
  private invalid(prepared: { issues: GraphIssue[]; omittedIssues?: number }): HttpError {
    const capped = capIssues({ issues: prepared.issues, omittedIssues: prepared.omittedIssues });
    const omitted = capped.omittedIssues ?? 0;
    const total = capped.issues.length + omitted;
    const message = `The workflow has ${total} problem${total === 1 ? '' : 's'}${omitted ? ` (the first ${capped.issues.length} are listed)` : ''}`;
    return new HttpError(400, 'validation_failed', message, capped.issues.map((i) => ({ ...i })), omitted ? { omittedIssues: omitted } : undefined);
  }

  private notify(): void {
    this.deps.onQueue(this.deps.store.queueState());
  }
}

/** Time-ordered and unique; also a safe file name (see RunIdSchema). */
function newRunId(): string {
  return `r${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}
