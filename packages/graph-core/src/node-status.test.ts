import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './events.js';
import { applyNodeEvent, settleNodeStates, type NodeState } from './node-status.js';

const base = { runId: 'r', time: 0 };

describe('the node-status reducer', () => {
  it('follows a run from its events, then settles what never ran', () => {
    const states: Record<string, NodeState> = {};
    const events: EngineEvent[] = [
      { type: 'run_started', ...base, toExecute: ['a', 'b', 'c'], cached: ['k'] },
      { type: 'node_cached', ...base, nodeId: 'k', nodeType: 'K', tier: 'disk', ui: [] },
      { type: 'node_started', ...base, nodeId: 'a', nodeType: 'A' },
      { type: 'progress', ...base, nodeId: 'a', value: 1, max: 4 },
      { type: 'node_finished', ...base, nodeId: 'a', nodeType: 'A', durationMs: 5, cached: false, outputs: {}, ui: [] },
      { type: 'node_started', ...base, nodeId: 'b', nodeType: 'B' },
    ];
    const changed = events.map((e) => applyNodeEvent(states, e));
    expect(changed[3]).toEqual(['a']);
    expect(states).toEqual({
      a: { status: 'executed', nodeType: 'A', durationMs: 5 },
      b: { status: 'running', nodeType: 'B' },
      c: { status: 'pending' },
      k: { status: 'cached', nodeType: 'K', tier: 'disk' },
    });
    expect(settleNodeStates(states).sort()).toEqual(['b', 'c']);
    expect([states.b!.status, states.c!.status]).toEqual(['interrupted', 'skipped']);
  });

  it('keeps the tier of a cached answer when its node_finished follows', () => {
    const states: Record<string, NodeState> = { k: { status: 'cached', tier: 'memory' } };
    expect(
      applyNodeEvent(states, {
        type: 'node_finished',
        ...base,
        nodeId: 'k',
        nodeType: 'K',
        durationMs: 0,
        cached: true,
        outputs: {},
        ui: [],
      }),
    ).toEqual([]);
    expect(states.k).toEqual({ status: 'cached', tier: 'memory' });
  });
});
