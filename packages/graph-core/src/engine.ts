import { ResultCache, type CachedResult } from './cache.js';
import { AbortError, ErrorCode, type ErrorLevel, type GraphIssue } from './errors.js';
import type { EngineEvent } from './events.js';
import { createNodeContext, silentLogger } from './node-context.js';
import type { Logger, NodeDefinition, Services, UiOutput } from './node-definition.js';
import { Planner, withDescendants, type PlannedNode } from './plan.js';
import type { NodeRegistry } from './registry.js';
import { checkInputs, checkOutputs, SocketTypeError } from './socket-checks.js';
import { unknownNodeIssues } from './target-checks.js';
import { ValidationMemo, validateWorkflow } from './validate.js';
import type { Workflow } from './workflow-schema.js';

export interface EngineOptions {
  registry: NodeRegistry;
  services: Services;
  cache?: ResultCache;
  /** Content hash of a file a node reads (CachePolicy 'file'); without it such nodes are never cached. */
  hashFile?: (ref: string) => Promise<string>;
  log?: Logger;
  /** How many concurrency-safe nodes of independent branches may run at once. */
  maxConcurrency?: number;
}

export interface RunOptions {
  runId?: string;
  /** Run only what these nodes need (default: every output node). */
  targets?: string[];
  /** Re-execute these nodes (and so everything downstream) even when cached. */
  force?: string[];
  signal?: AbortSignal;
  onEvent?: (e: EngineEvent) => void;
}

export type RunStatus = 'succeeded' | 'failed' | 'interrupted';

export interface RunResult {
  runId: string;
  status: RunStatus;
  executed: string[];
  cached: string[];
  /** Output values of the target nodes. */
  outputs: Record<string, Record<string, unknown>>;
  /** What each node showed the user (files written, text). */
  ui: Record<string, UiOutput[]>;
  durationMs: number;
  error?: GraphIssue;
  /** Validation problems, when the workflow could not run. */
  issues?: GraphIssue[];
}

let runCounter = 0;

/**
 * Runs workflows: validates, plans what the targets need, answers what it can from the content-keyed cache,
 * executes the rest in dependency order and streams events. A failed or interrupted run leaves every result
 * computed so far in the cache.
 */
export class Engine {
  readonly registry: NodeRegistry;
  readonly cache: ResultCache;
  private readonly services: Services;
  private readonly hashFile: EngineOptions['hashFile'];
  private readonly log: Logger;
  private readonly maxConcurrency: number;
  /** The last run's validated nodes and plan: a rerun re-checks and re-hashes only what changed. */
  private readonly validationMemo = new ValidationMemo();
  private readonly planner: Planner;
  /** The output nodes of the last workflow, while its structure is unchanged. */
  private outputIds: { structure: number; ids: string[] } | undefined;

  constructor(o: EngineOptions) {
    this.registry = o.registry;
    this.services = o.services;
    this.cache = o.cache ?? new ResultCache();
    this.hashFile = o.hashFile;
    this.log = o.log ?? silentLogger;
    this.maxConcurrency = Math.max(1, o.maxConcurrency ?? 2);
    this.planner = new Planner(this.registry, this.hashFile);
  }

  async run(doc: unknown, o: RunOptions = {}): Promise<RunResult> {
    const runId = o.runId ?? `run-${Date.now().toString(36)}-${(++runCounter).toString(36)}`;
    const started = performance.now();
    const emit = (e: EngineEvent) => {
      try {
        o.onEvent?.(e);
      } catch (err) {
        this.log.warn(`event listener failed: ${(err as Error).message}`);
      }
    };
    const elapsed = () => performance.now() - started;
    const refuse = (issues: GraphIssue[]): RunResult => {
      const error: GraphIssue = {
        code: issues[0]?.code ?? ErrorCode.invalidDocument,
        message: `The workflow can not run: ${issues.length} problem${issues.length === 1 ? '' : 's'}`,
      };
      emit({ type: 'run_failed', runId, time: Date.now(), durationMs: elapsed(), error });
      return { runId, status: 'failed', executed: [], cached: [], outputs: {}, ui: {}, durationMs: elapsed(), error, issues };
    };

    const checked = validateWorkflow(doc, this.registry, this.validationMemo);
    if (!checked.ok) return refuse(checked.issues);
    const workflow = checked.workflow;
    const unknownNodes = unknownNodeIssues(Object.keys(workflow.nodes), o);
    if (unknownNodes.length) return refuse(unknownNodes);
    const targets = this.chooseTargets(workflow, o.targets);
    if (!Array.isArray(targets)) return refuse(targets.issues);

    const { nodes: plan, index } = await this.planner.plan(workflow, targets);
    const forced = o.force?.length
      ? withDescendants(
          plan,
          o.force.filter((id) => index.has(id)),
        )
      : undefined;
    const results = new Map<string, CachedResult>();
    const cachedHits: Array<{ p: PlannedNode; tier: 'memory' | 'disk' }> = [];
    const toRun: number[] = [];

    // Walk back from the targets: a cached node answers for everything upstream of it.
    const stack = [...targets];
    const visited = new Set<string>();
    while (stack.length) {
      const id = stack.pop()!;
      if (visited.has(id)) continue;
      visited.add(id);
      const at = index.get(id)!;
      const p = plan[at]!;
      if (p.key && !forced?.has(id)) {
        const hit = await this.cache.lookup(p.key, p.def);
        if (hit && (await this.stillValid(p.def, hit.result))) {
          results.set(id, hit.result);
          cachedHits.push({ p, tier: hit.tier });
          continue;
        }
      }
      toRun.push(at);
      stack.push(...p.deps);
    }
    const inPlanOrder = (a: number, b: number) => a - b;
    const order = toRun.sort(inPlanOrder).map((at) => plan[at]!);
    const cachedIds = cachedHits
      .map(({ p }) => index.get(p.id)!)
      .sort(inPlanOrder)
      .map((at) => plan[at]!.id);

    emit({ type: 'run_started', runId, time: Date.now(), toExecute: order.map((p) => p.id), cached: cachedIds });
    for (const { p, tier } of cachedHits) {
      emit({ type: 'node_cached', runId, time: Date.now(), nodeId: p.id, nodeType: p.def.type, tier, ui: results.get(p.id)!.ui });
    }

    const executed: string[] = [];
    const signal = o.signal ?? new AbortController().signal;
    const failure = await this.execute(order, results, { runId, workflow, signal, emit, executed });

    const ui: Record<string, UiOutput[]> = {};
    for (const at of [...results.keys()].map((id) => index.get(id)!).sort(inPlanOrder)) {
      const id = plan[at]!.id;
      const r = results.get(id)!;
      if (r.ui.length) ui[id] = r.ui;
    }
    const outputs: Record<string, Record<string, unknown>> = {};
    for (const t of targets) {
      const r = results.get(t);
      if (r) outputs[t] = r.outputs;
    }
    const base = { runId, executed, cached: cachedIds, outputs, ui };
    if (failure?.kind === 'interrupted') {
      emit({ type: 'run_interrupted', runId, time: Date.now(), durationMs: elapsed(), nodeId: failure.nodeId });
      const error: GraphIssue = { code: ErrorCode.interrupted, message: 'The run was interrupted', nodeId: failure.nodeId };
      return { ...base, status: 'interrupted', durationMs: elapsed(), error };
    }
    if (failure?.kind === 'failed') {
      emit({ type: 'run_failed', runId, time: Date.now(), durationMs: elapsed(), error: failure.error });
      return { ...base, status: 'failed', durationMs: elapsed(), error: failure.error };
    }
    emit({ type: 'run_finished', runId, time: Date.now(), durationMs: elapsed(), executed, cached: cachedIds });
    return { ...base, status: 'succeeded', durationMs: elapsed() };
  }

  private async stillValid(def: NodeDefinition, result: CachedResult): Promise<boolean> {
    if (!def.isResultValid) return true;
    try {
      return await def.isResultValid(result, this.services);
    } catch {
      return false;
    }
  }

  private chooseTargets(workflow: Workflow, requested: string[] | undefined): string[] | { issues: GraphIssue[] } {
    // Every requested target is a node of the workflow (unknownNodeIssues has said so otherwise).
    if (requested?.length) return [...new Set(requested)];
    const structure = this.validationMemo.structureVersion;
    let outputs = this.outputIds?.structure === structure ? this.outputIds.ids : undefined;
    if (!outputs) {
      outputs = [];
      for (const id of Object.keys(workflow.nodes)) if (this.registry.get(workflow.nodes[id]!.type)?.isOutput) outputs.push(id);
      this.outputIds = { structure, ids: outputs };
    }
    if (!outputs.length)
      return {
        issues: [
          { code: ErrorCode.noOutputs, message: 'The workflow has no output node (such as SaveVideo or SaveImage), so nothing would run' },
        ],
      };
    return outputs;
  }

  /** Runs the planned nodes in dependency order; independent concurrency-safe nodes may overlap. */
  private async execute(
    order: PlannedNode[],
    results: Map<string, CachedResult>,
    run: { runId: string; workflow: Workflow; signal: AbortSignal; emit: (e: EngineEvent) => void; executed: string[] },
  ): Promise<Failure | undefined> {
    const waiting = new Map<string, number>();
    const dependents = new Map<string, string[]>();
    const inRun = new Set(order.map((p) => p.id));
    const ready: PlannedNode[] = [];
    for (const p of order) {
      const deps = p.deps.filter((d) => inRun.has(d));
      waiting.set(p.id, deps.length);
      for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), p.id]);
      if (!deps.length) ready.push(p);
    }
    const byId = new Map(order.map((p) => [p.id, p]));
    const running = new Map<string, { safe: boolean; done: Promise<{ id: string; failure?: Failure }> }>();
    let failure: Failure | undefined;

    const finish = (id: string) => {
      for (const next of dependents.get(id) ?? []) {
        const left = waiting.get(next)! - 1;
        waiting.set(next, left);
        if (left === 0) ready.push(byId.get(next)!);
      }
    };

    while ((ready.length || running.size) && !failure) {
      if (run.signal.aborted) {
        failure = { kind: 'interrupted' };
        break;
      }
      while (ready.length) {
        const next = ready[0]!;
        const safe = next.def.concurrencySafe === true;
        const allSafe = [...running.values()].every((r) => r.safe);
        if (running.size > 0 && !(safe && allSafe && running.size < this.maxConcurrency)) break;
        ready.shift();
        if (running.size === 0 && (!safe || ready.length === 0)) {
          // The common case: one node at a time, no promise bookkeeping.
          const f = await this.executeNode(next, results, run);
          if (f) failure = f;
          else finish(next.id);
          break;
        }
        running.set(next.id, { safe, done: this.executeNode(next, results, run).then((f) => ({ id: next.id, failure: f })) });
      }
      if (failure || running.size === 0) continue;
      const settled = await Promise.race([...running.values()].map((r) => r.done));
      running.delete(settled.id);
      if (settled.failure) failure = settled.failure;
      else finish(settled.id);
    }
    // Let nodes already running end (their results are cached) before reporting.
    for (const r of running.values()) {
      const settled = await r.done;
      if (settled.failure && !failure) failure = settled.failure;
    }
    return failure;
  }

  private async executeNode(
    p: PlannedNode,
    results: Map<string, CachedResult>,
    run: { runId: string; workflow: Workflow; signal: AbortSignal; emit: (e: EngineEvent) => void; executed: string[] },
  ): Promise<Failure | undefined> {
    const { runId, emit } = run;
    const ui: UiOutput[] = [];
    const started = performance.now();
    emit({ type: 'node_started', runId, time: Date.now(), nodeId: p.id, nodeType: p.def.type });
    try {
      if (run.signal.aborted) throw new AbortError();
      const { inputs, params } = gatherInputs(p, results);
      const ctx = createNodeContext({
        runId,
        nodeId: p.id,
        signal: run.signal,
        log: this.log,
        services: this.services,
        workflow: run.workflow,
        emit,
        ui,
      });
      checkInputs(p.def, p.id, inputs);
      const outputs = await p.def.execute(ctx, inputs, params as never);
      for (const name of Object.keys(p.def.outputs)) {
        if (!outputs || !(name in outputs)) throw new Error(`${p.def.type} did not produce its output "${name}"`);
      }
      checkOutputs(p.def, p.id, outputs);
      const result: CachedResult = { outputs, ui };
      results.set(p.id, result);
      if (p.key) this.cache.store(p.key, p.def, result);
      run.executed.push(p.id);
      emit({
        type: 'node_finished',
        runId,
        time: Date.now(),
        nodeId: p.id,
        nodeType: p.def.type,
        durationMs: performance.now() - started,
        cached: false,
        outputs: summarize(p.def, outputs),
        ui,
      });
      return undefined;
    } catch (e) {
      if (e instanceof AbortError || (run.signal.aborted && isAbortLike(e))) return { kind: 'interrupted', nodeId: p.id };
      const err = e as Error & { level?: ErrorLevel; field?: string };
      const level: ErrorLevel = err.level === 'user' || err.level === 'operational' ? err.level : 'unexpected';
      const message = err instanceof Error ? err.message : String(e);
      if (level === 'unexpected') this.log.error(`${p.def.type} "${p.id}" failed: ${err?.stack ?? message}`);
      const error: GraphIssue = {
        code: e instanceof SocketTypeError ? ErrorCode.wrongType : ErrorCode.nodeFailed,
        nodeId: p.id,
        field: typeof err.field === 'string' ? err.field : undefined,
        message: `${p.def.title} (${p.id}) failed: ${message}`,
      };
      emit({ type: 'node_failed', runId, time: Date.now(), nodeId: p.id, nodeType: p.def.type, error: { ...error, level } });
      return { kind: 'failed', error };
    }
  }
}

type Failure = { kind: 'interrupted'; nodeId?: string } | { kind: 'failed'; error: GraphIssue };

/** Input values from upstream results; a parameter fed by a link is checked against its own schema. */
function gatherInputs(
  p: PlannedNode,
  results: Map<string, CachedResult>,
): { inputs: Record<string, unknown>; params: Record<string, unknown> } {
  const inputs: Record<string, unknown> = {};
  const params: Record<string, unknown> = { ...p.node.params };
  for (const [name, [source, output]] of Object.entries(p.node.inputs)) {
    const value = results.get(source)?.outputs[output];
    const paramSchema = p.def.inputs[name] ? undefined : p.def.params[name];
    if (!paramSchema) {
      inputs[name] = value;
      continue;
    }
    const r = paramSchema.safeParse(value);
    if (!r.success) {
      const err = new Error(
        `Parameter "${name}" received an invalid value from "${source}".${output}: ${r.error.issues.map((i) => i.message).join('; ')}`,
      );
      Object.assign(err, { level: 'user', field: name });
      throw err;
    }
    params[name] = r.data;
  }
  return { inputs, params };
}

function summarize(def: NodeDefinition, outputs: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(def.outputs)) {
    const v = outputs[name] as { summary?: () => string } | undefined;
    if (spec.socket) out[name] = spec.socket.describe(v);
    else if (v && typeof v === 'object' && typeof v.summary === 'function') out[name] = v.summary();
    else {
      const text = JSON.stringify(v) ?? String(v);
      out[name] = `${spec.type} ${text.length > 60 ? text.slice(0, 57) + '...' : text}`;
    }
  }
  return out;
}

function isAbortLike(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}
