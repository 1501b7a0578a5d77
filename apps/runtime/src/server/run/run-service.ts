import { randomBytes } from 'node:crypto';
import { capIssues, type GraphIssue, type NodeRegistry, type Services } from '@kinegraph/graph-core';
import type { QueueState, RunRecord, SubmitRunBody, SubmitRunResponse } from '../../protocol/index.js';
import { HttpError } from '../http-error.js';
import type { RunStore } from '../store/run-store.js';
import { QueueFullError } from '../store/store-error.js';
import { prepareRuns } from './prepare-run.js';
import { PathsToken } from '@kinegraph/nodes';
import { prepareVariantRuns } from './variant-runs.js';
import type { RunQueue } from '../queue/run-queue.js';

export interface RunServiceDeps {
  /** History (and, with the local queue, the queue's files). */
  store: RunStore;
  /** Where accepted runs wait and are run: in this process, or in Redis for `kinegraph worker`s. */
  queue: RunQueue;
  registry: NodeRegistry;
  services: Services;
  hashFile: (ref: string) => Promise<string>;
  /** Most runs waiting in the queue (default 1000); past it a submission is refused with 429. */
  maxQueuedRuns?: number;
  log?: (msg: string) => void;
}

/** The queue as the routes see it: submit, cancel, pause, interrupt; the RunQueue behind it runs the runs. */
export class RunService {
  /** Set when the server is shutting down: no new runs are taken. */
  private closing = false;

  constructor(private readonly deps: RunServiceDeps) {}

  /** Starts the runs left queued by an earlier process (unless the queue is paused). */
  start(): Promise<void> {
    return this.deps.queue.start();
  }

  /** Validates, resolves and queues; a 400 with every problem per node and field when the workflow is invalid. */
  async submit(body: SubmitRunBody): Promise<SubmitRunResponse> {
    this.refuseWhenClosing();
    const maxQueued = this.deps.maxQueuedRuns ?? 1000;
    // Checked before the work of preparing, and again (atomically) when the runs are written.
    this.queueFull(() => this.deps.queue.checkRoom(body.batch, maxQueued));
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
    // Position = how many runs are ahead of it (the running ones included), taken before any of them starts.
    const positions = await this.queueFull(() => this.deps.queue.enqueue(records, maxQueued, body.front === true));
    return { runs: records.map((r, i) => ({ runId: r.runId, position: positions[i]! })) };
  }

  /** Removes a queued run, or interrupts it when it is the one running. */
  async cancel(runId: string): Promise<'cancelled' | 'interrupting'> {
    if (await this.deps.queue.cancelQueued(runId)) return 'cancelled';
    if (this.deps.queue.interrupt(runId)) return 'interrupting';
    throw new HttpError(404, 'not_found', `Run "${runId}" is neither queued nor running`);
  }

  interrupt(runId?: string): string | null {
    return this.deps.queue.interrupt(runId);
  }

  setPaused(paused: boolean): Promise<void> {
    return this.deps.queue.setPaused(paused);
  }

  queueState(): QueueState {
    return this.deps.queue.queueState();
  }

  /** Queued, running or finished. */
  async get(runId: string): Promise<RunRecord | undefined> {
    return (await this.deps.queue.get(runId)) ?? this.deps.store.get(runId);
  }

  /** Stops taking runs (submissions answer 503), interrupts the running one and waits until it is recorded. */
  async stop(): Promise<void> {
    this.closing = true;
    await this.deps.queue.stop();
    await this.deps.store.flush();
  }

  private refuseWhenClosing(): void {
    if (this.closing) throw new HttpError(503, 'shutting_down', 'The server is shutting down and takes no new runs');
  }

  private queueFull<T>(fn: () => T): T {
    const answer = (e: unknown): never => {
      if (e instanceof QueueFullError)
        throw new HttpError(429, 'queue_full', e.message, undefined, { limit: { name: 'maxQueuedRuns', max: e.max } });
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
    return new HttpError(
      400,
      'validation_failed',
      message,
      capped.issues.map((i) => ({ ...i })),
      omitted ? { omittedIssues: omitted } : undefined,
    );
  }
}

/** Time-ordered and unique; also a safe file name (see RunIdSchema). */
function newRunId(): string {
  return `r${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}
