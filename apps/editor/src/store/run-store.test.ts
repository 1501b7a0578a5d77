import { describe, expect, it } from 'vitest';
import { progressShare, RunStore, secondsLeft } from './run-store.js';

const t = 0;

/** A tab that queued runs r, r1 and r2. */
function mine(): RunStore {
  const runs = new RunStore();
  runs.own(['r', 'r1', 'r2']);
  return runs;
}

describe('RunStore', () => {
  it("ignores another tab's runs, and applies a run's early events once it is known to be ours", () => {
    const runs = new RunStore();
    runs.apply({ type: 'run_started', runId: 'x', time: t, toExecute: ['2'], cached: [] });
    runs.apply({ type: 'node_started', runId: 'x', time: t, nodeId: '2', nodeType: 'X' });
    expect(runs.node('2').status).toBe('idle');
    expect(runs.getGlobal().activeRunId).toBeNull();
    // The submit answered after the run had started: what it sent so far now shows.
    runs.own(['x']);
    expect(runs.node('2').status).toBe('running');
    runs.apply({ type: 'progress', runId: 'other', time: t, nodeId: '2', value: 1, max: 2 });
    expect(runs.node('2').progress).toBeUndefined();
  });

  it('an interrupted run leaves no node running or pending: the one cut short and those never reached are idle', () => {
    const runs = mine();
    runs.apply({ type: 'run_started', runId: 'r', time: t, toExecute: ['2', '3'], cached: [] });
    runs.apply({ type: 'node_started', runId: 'r', time: t, nodeId: '2', nodeType: 'X' });
    runs.apply({ type: 'progress', runId: 'r', time: t, nodeId: '2', value: 1, max: 9 });
    runs.apply({ type: 'run_interrupted', runId: 'r', time: t, durationMs: 5, nodeId: '2' });
    expect([runs.node('2').status, runs.node('2').progress, runs.node('3').status]).toEqual(['idle', undefined, 'idle']);
  });

  it('follows a run: pending, running with progress, finished with outputs, cached', () => {
    const runs = mine();
    runs.apply({ type: 'run_started', runId: 'r1', time: t, toExecute: ['2', '3'], cached: ['1'] });
    expect(runs.node('1').status).toBe('cached');
    expect(runs.node('2').status).toBe('pending');
    runs.apply({ type: 'node_started', runId: 'r1', time: t, nodeId: '2', nodeType: 'X' });
    runs.apply({ type: 'progress', runId: 'r1', time: t, nodeId: '2', value: 3, max: 10 });
    expect(runs.node('2')).toMatchObject({ status: 'running', progress: { value: 3, max: 10 } });
    runs.apply({
      type: 'node_finished',
      runId: 'r1',
      time: t,
      nodeId: '2',
      nodeType: 'X',
      durationMs: 12,
      cached: false,
      outputs: {},
      ui: [],
    });
    runs.apply({
      type: 'node_finished',
      runId: 'r1',
      time: t,
      nodeId: '3',
      nodeType: 'Save',
      durationMs: 5,
      cached: false,
      outputs: {},
      ui: [{ kind: 'video', filename: 'a.mp4', folder: 'output', mime: 'video/mp4' }],
    });
    runs.apply({ type: 'run_finished', runId: 'r1', time: t, durationMs: 40, executed: ['2', '3'], cached: ['1'] });
    expect(runs.node('2')).toMatchObject({ status: 'executed', durationMs: 12, progress: undefined });
    expect(runs.node('3').outputs?.[0]?.filename).toBe('a.mp4');
    expect(runs.getGlobal().lastRun).toMatchObject({ runId: 'r1', status: 'succeeded' });
  });

  it('keeps outputs but clears stale badges when the next run starts', () => {
    const runs = mine();
    runs.apply({ type: 'run_started', runId: 'r1', time: t, toExecute: ['3'], cached: [] });
    runs.apply({
      type: 'node_finished',
      runId: 'r1',
      time: t,
      nodeId: '3',
      nodeType: 'Save',
      durationMs: 5,
      cached: false,
      outputs: {},
      ui: [{ kind: 'image', filename: 'a.png' }],
    });
    runs.apply({ type: 'run_started', runId: 'r2', time: t, toExecute: ['4'], cached: [] });
    expect(runs.node('3').status).toBe('idle');
    expect(runs.node('3').outputs).toHaveLength(1);
  });

  it('puts validation issues on their nodes and fields, and a run failure on its node', () => {
    const runs = mine();
    runs.setIssues([
      { code: 'missing_input', message: 'not connected', nodeId: '2', field: 'image' },
      { code: 'cycle', message: 'loop' },
    ]);
    expect(runs.node('2').errors?.[0]?.field).toBe('image');
    expect(runs.getGlobal().message?.text).toContain('loop');
    runs.clearIssues();
    expect(runs.node('2').errors).toBeUndefined();
    runs.apply({ type: 'run_started', runId: 'r', time: t, toExecute: ['5'], cached: [] });
    runs.apply({
      type: 'node_failed',
      runId: 'r',
      time: t,
      nodeId: '5',
      nodeType: 'X',
      error: { code: 'node_failed', message: 'bad file', field: 'image', level: 'user' },
    });
    expect(runs.node('5')).toMatchObject({ status: 'failed', errors: [{ message: 'bad file', field: 'image' }] });
  });

  it('forgets node states when another document opens', () => {
    const runs = mine();
    runs.apply({
      type: 'node_finished',
      runId: 'r',
      time: t,
      nodeId: '1',
      nodeType: 'X',
      durationMs: 1,
      cached: false,
      outputs: {},
      ui: [{ kind: 'image', filename: 'a.png' }],
    });
    let calls = 0;
    runs.subscribeNode('1', () => calls++);
    runs.resetNodes();
    expect(runs.node('1').status).toBe('idle');
    expect(runs.node('1').outputs).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('notifies only the node that changed', () => {
    const runs = mine();
    let a = 0;
    let b = 0;
    runs.subscribeNode('a', () => a++);
    runs.subscribeNode('b', () => b++);
    runs.apply({ type: 'progress', runId: 'r', time: t, nodeId: 'a', value: 1, max: 2 });
    expect([a, b]).toEqual([1, 0]);
  });

  it('lists the problems on nodes, and drops those the user fixed', () => {
    const runs = mine();
    runs.setIssues([
      { code: 'missing_input', message: 'not connected', nodeId: '2', field: 'image' },
      { code: 'out_of_range', message: 'too big', nodeId: '3', field: 'width' },
    ]);
    expect(runs.getGlobal().problems.map((p) => p.nodeId)).toEqual(['2', '3']);
    runs.dropIssues((i) => i.nodeId !== '2');
    expect(runs.node('2')).toMatchObject({ status: 'idle', errors: undefined });
    expect(runs.getGlobal().problems.map((p) => p.nodeId)).toEqual(['3']);
    runs.dropIssues(() => false);
    expect(runs.getGlobal().problems).toEqual([]);
    expect(runs.getGlobal().message).toBeNull();
  });

  it('follows the run as a whole: share done and time left', () => {
    const runs = mine();
    runs.apply({ type: 'run_started', runId: 'r', time: t, toExecute: ['1', '2'], cached: [] });
    const p0 = runs.getGlobal().progress!;
    expect(progressShare(p0)).toBe(0);
    runs.apply({ type: 'node_started', runId: 'r', time: t, nodeId: '1', nodeType: 'X' });
    runs.apply({
      type: 'node_finished',
      runId: 'r',
      time: t,
      nodeId: '1',
      nodeType: 'X',
      durationMs: 1,
      cached: false,
      outputs: {},
      ui: [],
    });
    runs.apply({ type: 'progress', runId: 'r', time: t, nodeId: '2', value: 5, max: 10 });
    const p = runs.getGlobal().progress!;
    expect(progressShare(p)).toBeCloseTo(0.75);
    // 3 s for three quarters: 1 s to go.
    expect(secondsLeft(p, p.startedAt + 3000)).toBeCloseTo(1);
    runs.apply({ type: 'run_finished', runId: 'r', time: t, durationMs: 3, executed: ['1', '2'], cached: [] });
    expect(runs.getGlobal().progress).toBeNull();
  });
});
