import { applyNodeEvent, type EngineEvent, type NodeState } from '@kinegraph/graph-core';
import type { NodeLiveStatus } from '../../protocol/index.js';

/** What a tab that connects mid-run needs to catch up: the running run's progress and node states. */
export class LiveState {
  runId: string | null = null;
  progress: { runId: string; nodeId: string; value: number; max: number } | null = null;
  /** Kept by graph-core's node-status reducer. */
  private states: Record<string, NodeState> = {};

  get nodeStates(): Record<string, NodeLiveStatus> {
    return Object.fromEntries(Object.entries(this.states).map(([id, s]) => [id, s.status]));
  }

  apply(e: EngineEvent): void {
    // Several workers (a Redis queue) run runs side by side: the state follows the run that started last.
    if (e.type !== 'run_started' && this.runId !== null && e.runId !== this.runId) return;
    if (e.type === 'run_started') {
      this.runId = e.runId;
      this.progress = null;
      this.states = {};
    }
    applyNodeEvent(this.states, e);
    if (e.type === 'progress') this.progress = { runId: e.runId, nodeId: e.nodeId, value: e.value, max: e.max };
    if (e.type === 'node_finished' && this.progress?.nodeId === e.nodeId) this.progress = null;
    if (e.type === 'run_finished' || e.type === 'run_failed' || e.type === 'run_interrupted') {
      this.runId = null;
      this.progress = null;
      this.states = {};
    }
  }
}
