import { applyNodeEvent, settleNodeStates, type NodeState, type NodeStatus } from '@kinegraph/graph-core';
import type { EngineEvent, GraphIssue, PreviewFrame, QueueState, UiOutput } from '../api/types.js';

/** graph-core's node status as a badge shows it: a node not run (skipped, interrupted, or no run yet) is idle. */
export type NodeRunStatus = 'idle' | 'pending' | 'running' | 'executed' | 'cached' | 'failed';
const shown = (s: NodeStatus | undefined): NodeRunStatus => (s === undefined || s === 'skipped' || s === 'interrupted' ? 'idle' : s);

export interface NodeRunState {
  status: NodeRunStatus;
  runId?: string;
  progress?: { value: number; max: number };
  previewUrl?: string;
  outputs?: UiOutput[];
  durationMs?: number;
  errors?: GraphIssue[];
  warnings?: string[];
}

export type Connection = 'connecting' | 'open' | 'closed';

export interface RunGlobal {
  connection: Connection;
  queue: QueueState;
  activeRunId: string | null;
  lastRun: { runId: string; status: string; durationMs?: number; error?: GraphIssue } | null;
  /** Issues not tied to a node (a run-level error, a failed submit). */
  message: { kind: 'error' | 'info'; text: string } | null;
  /** Every issue now shown on a node, in node order (the problems list; each entry leads to its node). */
  problems: GraphIssue[];
  /** The running run of this tab, as a whole: nodes to run, nodes done, the running node's own progress. */
  progress: RunProgress | null;
}

export interface RunProgress {
  runId: string;
  total: number;
  done: number;
  /** The running node's progress, 0..1 (0 when it reports none). */
  current: number;
  /** Local clock when the run started (for the time left). */
  startedAt: number;
}

/** Overall share done, 0..1: every node to run weighs the same, the running one counts by its own progress. */
export function progressShare(p: RunProgress): number {
  return p.total > 0 ? Math.min(1, (p.done + p.current) / p.total) : 0;
}

/** Seconds left at the pace so far; undefined until there is a pace to go by. */
export function secondsLeft(p: RunProgress, now: number): number | undefined {
  const share = progressShare(p);
  const elapsed = (now - p.startedAt) / 1000;
  if (share < 0.02 || elapsed < 0.5) return undefined;
  return Math.max(0, (elapsed * (1 - share)) / share);
}

const IDLE: NodeRunState = { status: 'idle' };

/**
 * Live run state, apart from the document (so undo never clears previews or outputs). Subscriptions are
 * per node: a progress message re-renders one node, not the canvas.
 */
export class RunStore {
  private nodes = new Map<string, NodeRunState>();
  private nodeListeners = new Map<string, Set<() => void>>();
  private globalListeners = new Set<() => void>();
  private global: RunGlobal = {
    connection: 'connecting',
    queue: { paused: false, running: null, pending: [] },
    activeRunId: null,
    lastRun: null,
    message: null,
    problems: [],
    progress: null,
  };

  /** Runs this tab queued: only their events touch its nodes (another tab's run is about another graph). */
  private owned = new Set<string>();
  /** Events of runs not (yet) known to be ours: a run can start before its submit answers. */
  private foreign = new Map<string, EngineEvent[]>();
  /** Node states of this tab's runs, kept by graph-core's node-status reducer. */
  private runStates = new Map<string, Record<string, NodeState>>();

  node = (id: string): NodeRunState => this.nodes.get(id) ?? IDLE;

  /** Marks runs as this tab's and applies what they already sent. */
  own(runIds: Iterable<string>): void {
    for (const id of runIds) {
      if (this.owned.has(id)) continue;
      this.owned.add(id);
      const early = this.foreign.get(id);
      this.foreign.delete(id);
      for (const e of early ?? []) this.apply(e);
    }
  }
  ownedRuns(): string[] {
    return [...this.owned];
  }
  isOwn(runId: string | undefined): boolean {
    return runId !== undefined && this.owned.has(runId);
  }
  getGlobal = (): RunGlobal => this.global;

  subscribeNode(id: string, fn: () => void): () => void {
    let set = this.nodeListeners.get(id);
    if (!set) this.nodeListeners.set(id, (set = new Set()));
    set.add(fn);
    return () => set!.delete(fn);
  }
  subscribeGlobal = (fn: () => void): (() => void) => {
    this.globalListeners.add(fn);
    return () => this.globalListeners.delete(fn);
  };

  setGlobal(patch: Partial<RunGlobal>): void {
    this.global = { ...this.global, ...patch };
    for (const fn of this.globalListeners) fn();
  }

  patchNode(id: string, patch: Partial<NodeRunState>): void {
    const prev = this.node(id);
    if (patch.previewUrl && prev.previewUrl && prev.previewUrl !== patch.previewUrl) URL.revokeObjectURL(prev.previewUrl);
    this.nodes.set(id, { ...prev, ...patch });
    this.nodeListeners.get(id)?.forEach((fn) => fn());
    if ('errors' in patch && (patch.errors?.length || prev.errors?.length)) this.problemsChanged();
  }

  private problemsChanged(): void {
    const problems = [...this.nodes.entries()].flatMap(([id, st]) => (st.errors ?? []).map((e) => ({ ...e, nodeId: e.nodeId ?? id })));
    this.setGlobal({ problems });
  }

  /** Drops the issues `keep` rejects (the user edited what they were about); a node left without any is no longer failed. */
  dropIssues(keep: (issue: GraphIssue) => boolean): void {
    for (const [id, st] of this.nodes) {
      if (!st.errors?.length) continue;
      const left = st.errors.filter(keep);
      if (left.length === st.errors.length) continue;
      this.patchNode(id, { errors: left.length ? left : undefined, status: left.length || st.status !== 'failed' ? st.status : 'idle' });
    }
    if (this.global.message?.kind === 'error' && this.global.problems.length === 0) this.setGlobal({ message: null });
  }

  /** Forgets every node's run state (another document was opened: its node ids mean other nodes). */
  resetNodes(): void {
    const ids = [...this.nodes.keys()];
    for (const st of this.nodes.values()) if (st.previewUrl) URL.revokeObjectURL(st.previewUrl);
    this.nodes.clear();
    for (const id of ids) this.nodeListeners.get(id)?.forEach((fn) => fn());
    if (this.global.problems.length) this.setGlobal({ problems: [] });
  }

  /** Validation issues from a refused submit: shown on their nodes and fields. */
  setIssues(issues: GraphIssue[]): void {
    const byNode = new Map<string, GraphIssue[]>();
    for (const i of issues) if (i.nodeId) byNode.set(i.nodeId, [...(byNode.get(i.nodeId) ?? []), i]);
    for (const id of new Set([...this.nodes.keys(), ...byNode.keys()])) {
      const list = byNode.get(id);
      if (list) this.patchNode(id, { errors: list, status: 'failed' });
      else if (this.node(id).errors?.length)
        this.patchNode(id, { errors: undefined, status: this.node(id).status === 'failed' ? 'idle' : this.node(id).status });
    }
    const loose = issues.filter((i) => !i.nodeId);
    this.setGlobal({
      message: issues.length
        ? {
            kind: 'error',
            text: loose.length ? loose.map((i) => i.message).join('; ') : `${issues.length} problem(s) in the graph: see the marked nodes`,
          }
        : null,
    });
  }

  clearIssues(): void {
    this.setIssues([]);
  }

  preview(frame: PreviewFrame): void {
    if (!this.owned.has(frame.header.runId)) return;
    const url = URL.createObjectURL(new Blob([frame.image as BlobPart], { type: frame.mime }));
    this.patchNode(frame.header.nodeId, { previewUrl: url });
  }

  /** Applies one engine event from the socket. */
  apply(e: EngineEvent): void {
    if (!this.owned.has(e.runId)) {
      const list = this.foreign.get(e.runId) ?? [];
      if (list.length < 2000) list.push(e);
      this.foreign.set(e.runId, list);
      // Bounded: a few recent runs of other tabs are kept, in case their submit answer is still on its way.
      if (this.foreign.size > 8) this.foreign.delete(this.foreign.keys().next().value!);
      return;
    }
    let states = this.runStates.get(e.runId);
    if (!states) this.runStates.set(e.runId, (states = {}));
    applyNodeEvent(states, e);
    const status = (id: string) => shown(states[id]?.status);
    switch (e.type) {
      case 'run_started':
        this.setGlobal({
          activeRunId: e.runId,
          message: null,
          progress: { runId: e.runId, total: e.toExecute.length, done: 0, current: 0, startedAt: Date.now() },
        });
        // Badges from an earlier run would mislead; outputs and previews stay until replaced.
        for (const [id, st] of this.nodes) {
          if (st.errors || (st.runId !== e.runId && st.status !== 'idle'))
            this.patchNode(id, { errors: undefined, status: 'idle', progress: undefined });
        }
        for (const id of e.toExecute)
          this.patchNode(id, { status: status(id), runId: e.runId, progress: undefined, errors: undefined, warnings: undefined });
        for (const id of e.cached) this.patchNode(id, { status: status(id), runId: e.runId, progress: undefined, errors: undefined });
        break;
      case 'node_started':
        this.patchNode(e.nodeId, { status: status(e.nodeId), runId: e.runId, progress: undefined, errors: undefined });
        break;
      case 'progress':
        this.patchNode(e.nodeId, { status: status(e.nodeId), progress: states[e.nodeId]!.progress });
        this.advance(e.runId, 0, e.max > 0 ? Math.min(1, e.value / e.max) : 0);
        break;
      case 'node_cached':
        this.patchNode(e.nodeId, {
          status: status(e.nodeId),
          runId: e.runId,
          progress: undefined,
          ...(e.ui && e.ui.length ? { outputs: e.ui } : {}),
        });
        break;
      case 'node_warning':
        this.patchNode(e.nodeId, { warnings: [...(this.node(e.nodeId).warnings ?? []), e.message] });
        break;
      case 'node_finished':
        this.advance(e.runId, 1, 0);
        this.patchNode(e.nodeId, {
          status: status(e.nodeId),
          durationMs: e.durationMs,
          progress: undefined,
          ...(e.ui && e.ui.length ? { outputs: e.ui } : {}),
        });
        break;
      case 'node_failed':
        this.advance(e.runId, 1, 0);
        this.patchNode(e.nodeId, { status: status(e.nodeId), progress: undefined, errors: [{ ...e.error, nodeId: e.nodeId }] });
        break;
      case 'run_finished':
        this.settle(e.runId);
        this.setGlobal({ progress: null });
        this.setGlobal({ activeRunId: null, lastRun: { runId: e.runId, status: 'succeeded', durationMs: e.durationMs } });
        break;
      case 'run_failed':
        this.settle(e.runId);
        this.setGlobal({ progress: null });
        if (e.error.nodeId) this.patchNode(e.error.nodeId, { status: 'failed', errors: [e.error] });
        this.setGlobal({
          activeRunId: null,
          lastRun: { runId: e.runId, status: 'failed', durationMs: e.durationMs, error: e.error },
          message: { kind: 'error', text: e.error.message },
        });
        break;
      case 'run_interrupted':
        this.settle(e.runId);
        this.setGlobal({ progress: null });
        this.setGlobal({
          activeRunId: null,
          lastRun: { runId: e.runId, status: 'interrupted', durationMs: e.durationMs },
          message: { kind: 'info', text: 'Run interrupted' },
        });
        break;
    }
  }

  /** One more node done (`nodes`), or the running node's own share (`current`). */
  private advance(runId: string, nodes: number, current: number): void {
    const p = this.global.progress;
    if (!p || p.runId !== runId) return;
    this.setGlobal({ progress: { ...p, done: Math.min(p.total, p.done + nodes), current: nodes ? 0 : current } });
  }

  /** Nodes still pending/running when a run ends go back to idle (skipped or interrupted, as the reducer settles them). */
  private settle(runId: string): void {
    const states = this.runStates.get(runId) ?? {};
    this.runStates.delete(runId);
    settleNodeStates(states);
    for (const [id, s] of this.nodes) {
      if (s.runId === runId && (s.status === 'pending' || s.status === 'running'))
        this.patchNode(id, { status: shown(states[id]?.status), progress: undefined });
    }
  }

  /** Resumes from a socket snapshot (after a reconnect). */
  snapshot(
    queue: QueueState,
    progress: { runId: string; nodeId: string; value: number; max: number } | null,
    nodeStates: Record<string, NodeStatus>,
  ): void {
    this.setGlobal({ queue, activeRunId: queue.running?.runId ?? null });
    if (!this.isOwn(queue.running?.runId)) return;
    // The reducer goes on from the server's states, so the run's end settles them as if this tab had seen it all.
    this.runStates.set(queue.running!.runId, Object.fromEntries(Object.entries(nodeStates).map(([id, status]) => [id, { status }])));
    for (const [id, st] of Object.entries(nodeStates)) this.patchNode(id, { status: shown(st), runId: queue.running?.runId });
    if (progress) this.patchNode(progress.nodeId, { status: 'running', progress: { value: progress.value, max: progress.max } });
  }
}
