import { z } from 'zod';
import type { EngineEvent } from './events.js';

/**
 * What one node is doing in a run, in one vocabulary for the server's run records and live state, the
 * editor's badges and the CLI's progress: pending (to run), running, executed, cached, failed, interrupted
 * (running when the run stopped), skipped (not needed, or never reached after a failure).
 */
export const NodeStatusSchema = z.enum(['pending', 'running', 'executed', 'cached', 'failed', 'interrupted', 'skipped']);
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export interface NodeState {
  status: NodeStatus;
  nodeType?: string;
  /** The running node's last progress report. */
  progress?: { value: number; max: number };
  durationMs?: number;
  /** For cached nodes: the cache tier that answered. */
  tier?: 'memory' | 'disk';
}

/**
 * Applies one engine event to the node states of its run (mutating `states`, which a caller keeps per run).
 * Returns the ids whose state changed: the one reducer the server, the editor and the CLI share.
 */
export function applyNodeEvent(states: Record<string, NodeState>, e: EngineEvent): string[] {
  const set = (id: string, next: NodeState) => {
    states[id] = next;
    return [id];
  };
  switch (e.type) {
    case 'run_started':
      for (const id of e.toExecute) states[id] = { status: 'pending' };
      for (const id of e.cached) states[id] = { status: 'cached' };
      return [...e.toExecute, ...e.cached];
    case 'node_started':
      return set(e.nodeId, { status: 'running', nodeType: e.nodeType });
    case 'progress':
      return set(e.nodeId, { ...states[e.nodeId], status: 'running', progress: { value: e.value, max: e.max } });
    case 'node_cached':
      return set(e.nodeId, { status: 'cached', nodeType: e.nodeType, tier: e.tier });
    case 'node_finished':
      if (!e.cached) return set(e.nodeId, { status: 'executed', nodeType: e.nodeType, durationMs: e.durationMs });
      // A cached answer already recorded (with its tier) stays as it is.
      return states[e.nodeId]?.status === 'cached' ? [] : set(e.nodeId, { status: 'cached', nodeType: e.nodeType });
    case 'node_failed':
      return set(e.nodeId, { status: 'failed', nodeType: e.nodeType });
    case 'run_interrupted':
      return e.nodeId ? set(e.nodeId, { ...states[e.nodeId], status: 'interrupted', progress: undefined }) : [];
    default:
      return [];
  }
}

/** A run has ended: what was still to run was never reached (skipped), what was running was cut short. */
export function settleNodeStates(states: Record<string, NodeState>): string[] {
  const changed: string[] = [];
  for (const [id, s] of Object.entries(states)) {
    if (s.status === 'pending') states[id] = { ...s, status: 'skipped' };
    else if (s.status === 'running') states[id] = { ...s, status: 'interrupted', progress: undefined };
    else continue;
    changed.push(id);
  }
  return changed;
}
