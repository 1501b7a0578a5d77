import type { EngineEvent } from '@kinegraph/graph-core';
import type { NodeLiveStatus } from '../../protocol/index.js';

/** What a tab that connects mid-run needs to catch up: the running run's progress and node states. */
export class LiveState {
  runId: string | null = null;
  progress: { runId: string; nodeId: string; value: number; max: number } | null = null;
  nodeStates: Record<string, NodeLiveStatus> = {};

  apply(e: EngineEvent): void {
    // Several workers (a Redis queue) run runs side by side: the state follows the run that started last.
    if (e.type !== 'run_started' && this.runId !== null && e.runId !== this.runId) return;
    switch (e.type) {
      case 'run_started':
        this.runId = e.runId;
        this.progress = null;
        this.nodeStates = {};
        for (const id of e.toExecute) this.nodeStates[id] = 'pending';
        for (const id of e.cached) this.nodeStates[id] = 'cached';
        break;
      case 'node_started':
        this.nodeStates[e.nodeId] = 'running';
        break;
      case 'node_cached':
        this.nodeStates[e.nodeId] = 'cached';
        break;
      case 'progress':
        this.progress = { runId: e.runId, nodeId: e.nodeId, value: e.value, max: e.max };
        break;
      case 'node_finished':
        this.nodeStates[e.nodeId] = e.cached ? 'cached' : 'finished';
        if (this.progress?.nodeId === e.nodeId) this.progress = null;
        break;
      case 'node_failed':
        this.nodeStates[e.nodeId] = 'failed';
        break;
      case 'run_finished':
      case 'run_failed':
      case 'run_interrupted':
        this.runId = null;
        this.progress = null;
        this.nodeStates = {};
        break;
    }
  }
}
