import {
  applyNodeEvent,
  formatIssue,
  type Engine,
  type EngineEvent,
  type GraphIssue,
  type NodeState,
  type RunResult,
} from '@kinegraph/graph-core';
import { fileUrl, type NodeRunInfo, type RunOutput, type RunRecord } from '../../protocol/index.js';
import { closeNodes, STOPPED_DURING_RUN } from '../store/run-store.js';

const TERMINAL = new Set<EngineEvent['type']>(['run_finished', 'run_failed', 'run_interrupted']);

export interface ExecuteRunOptions {
  signal: AbortSignal;
  /** Every event but the terminal one, which is returned (announced only once the record is final). */
  onEvent: (e: EngineEvent) => void;
  /** The node states changed (the record is kept current while it runs, so a crash finds them). */
  onNodes: (nodes: Record<string, NodeRunInfo>) => void;
  /** True when the abort is a shutdown, not the user's interrupt: recorded as a crash would be. */
  stopping?: () => boolean;
  log?: (msg: string) => void;
}

/**
 * Runs one queued record on an engine and returns its final record: node states, outputs, status, error.
 * Shared by the in-process executor and `kinegraph worker`, so a run records the same wherever it ran.
 * An unexpected engine error becomes a failed run, never a thrown one.
 */
export async function executeRun(
  engine: Engine,
  rec: RunRecord,
  o: ExecuteRunOptions,
): Promise<{ done: RunRecord; terminal?: EngineEvent }> {
  // graph-core's node-status reducer; nodes outside the plan stay skipped.
  const states: Record<string, NodeState> = {};
  for (const id of Object.keys((rec.workflow as { nodes?: object }).nodes ?? {})) states[id] = { status: 'skipped' };
  let nodes = recordedNodes(states);
  o.onNodes(nodes);
  let terminal: EngineEvent | undefined;
  const onEvent = (e: EngineEvent) => {
    const before = applyNodeEvent(states, e).length ? nodes : undefined;
    if (before) {
      nodes = recordedNodes(states);
      // Progress changes no record: the file is rewritten only when a node's status does.
      if (Object.keys(nodes).some((id) => nodes[id]!.status !== before[id]?.status || nodes[id]!.tier !== before[id]?.tier))
        o.onNodes(nodes);
    }
    if (TERMINAL.has(e.type)) terminal = e;
    else o.onEvent(e);
  };
  let result: RunResult;
  try {
    result = await engine.run(rec.workflow, { runId: rec.runId, targets: rec.targets, force: rec.force, signal: o.signal, onEvent });
  } catch (e) {
    const error: GraphIssue = { code: 'node_failed', message: `Unexpected engine error: ${(e as Error).message}` };
    o.log?.(`run ${rec.runId} crashed: ${(e as Error).stack ?? e}`);
    result = {
      runId: rec.runId,
      status: 'failed',
      executed: [],
      cached: [],
      outputs: {},
      ui: {},
      durationMs: Date.now() - (rec.startedAt ?? Date.now()),
      error,
    };
  }
  const outputs: RunOutput[] = [];
  for (const [nodeId, list] of Object.entries(result.ui ?? {})) {
    for (const ui of list) {
      if (!ui.filename || !ui.folder) continue;
      outputs.push({
        nodeId,
        kind: ui.kind,
        filename: ui.filename,
        folder: ui.folder,
        mime: ui.mime,
        url: fileUrl(ui.folder, ui.filename),
      });
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
  if (o.stopping?.() && result.status === 'interrupted') {
    // Shutting down is not the user's interrupt: record it the way a crash would be found on restart.
    done.status = 'failed';
    done.error = { code: 'node_failed', message: STOPPED_DURING_RUN };
  }
  const issues = (result as { issues?: GraphIssue[] }).issues;
  if (issues?.length && done.error) done.error.message += issues.map((i) => `\n${formatIssue(i)}`).join('');
  return { done, terminal };
}

/** A run record keeps each node's status, time and cache tier (not its live progress). */
function recordedNodes(states: Record<string, NodeState>): Record<string, NodeRunInfo> {
  const out: Record<string, NodeRunInfo> = {};
  for (const [id, s] of Object.entries(states)) {
    out[id] = {
      status: s.status,
      ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
      ...(s.tier ? { tier: s.tier } : {}),
    };
  }
  return out;
}
