import { expect, it } from 'vitest';
import { LiveState } from './live-state.js';

it('follows the run that started last when workers run several side by side', () => {
  const live = new LiveState();
  live.apply({ type: 'run_started', runId: 'a', time: 1, toExecute: ['n'], cached: [] });
  live.apply({ type: 'run_started', runId: 'b', time: 2, toExecute: ['n', 'm'], cached: [] });
  // Run a's events (same node ids: a sweep) do not touch b's state, nor does its end clear it.
  live.apply({ type: 'node_started', runId: 'a', time: 3, nodeId: 'n', nodeType: 'T' });
  live.apply({ type: 'progress', runId: 'a', time: 3, nodeId: 'n', value: 1, max: 2 });
  live.apply({ type: 'run_finished', runId: 'a', time: 4, durationMs: 3, executed: ['n'], cached: [] });
  expect(live).toMatchObject({ runId: 'b', progress: null, nodeStates: { n: 'pending', m: 'pending' } });
  live.apply({ type: 'node_started', runId: 'b', time: 5, nodeId: 'm', nodeType: 'T' });
  expect(live.nodeStates.m).toBe('running');
  live.apply({ type: 'run_finished', runId: 'b', time: 6, durationMs: 4, executed: ['n', 'm'], cached: [] });
  expect(live).toMatchObject({ runId: null, nodeStates: {} });
});
