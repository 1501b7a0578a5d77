import { describe, expect, it } from 'vitest';
import { ResultCache, type CachedResult, type SecondaryCache } from './cache.js';
import { Engine } from './engine.js';
import type { EngineEvent } from './events.js';
import { createServices } from './services.js';
import { doc, testNodes } from './testing/test-nodes.js';

function setup(cache?: ResultCache) {
  const { registry, calls } = testNodes();
  const engine = new Engine({ registry, services: createServices([]), cache });
  const run = async (d: unknown, o: Parameters<Engine['run']>[1] = {}) => {
    const events: EngineEvent[] = [];
    const result = await engine.run(d, { ...o, onEvent: (e) => events.push(e) });
    const started = events.filter((e) => e.type === 'node_started').map((e) => (e as { nodeId: string }).nodeId);
    const cached = events.filter((e) => e.type === 'node_cached').map((e) => (e as { nodeId: string }).nodeId);
    return { result, events, started, cached };
  };
  return { engine, calls, run };
}

/** c1 → a1 → s1 and c2 → a2 → s2, plus a shared chain: k → m (Add of a1 and a2) → s3 */
const graph = (value = 1, bias = 0) =>
  doc({
    c1: { type: 'Const', params: { value } },
    c2: { type: 'Const', params: { value: 10 } },
    a1: { type: 'Add', params: { bias }, inputs: { a: ['c1', 'value'] } },
    a2: { type: 'Add', inputs: { a: ['c2', 'value'] } },
    m: { type: 'Add', inputs: { a: ['a1', 'sum'], b: ['a2', 'sum'] } },
    s1: { type: 'Sink', inputs: { value: ['a1', 'sum'] } },
    s2: { type: 'Sink', inputs: { value: ['m', 'sum'] } },
    unused: { type: 'Const', params: { value: 99 } },
  });

describe('Engine', () => {
  it('runs only what output nodes need, in dependency order, with events in order', async () => {
    const { run } = setup();
    const { result, events, started } = await run(graph());
    expect(result.status).toBe('succeeded');
    expect(started).not.toContain('unused');
    expect(new Set(started)).toEqual(new Set(['c1', 'c2', 'a1', 'a2', 'm', 's1', 's2']));
    expect(started.indexOf('m')).toBeGreaterThan(started.indexOf('a1'));
    expect(started.indexOf('m')).toBeGreaterThan(started.indexOf('a2'));
    expect(events[0]!.type).toBe('run_started');
    expect(events.at(-1)!.type).toBe('run_finished');
    expect(result.ui.s2).toEqual([{ kind: 'text', text: 'out=11' }]);
    const finished = events.find((e) => e.type === 'node_finished' && e.nodeId === 'a1');
    expect(finished).toMatchObject({ cached: false, outputs: { sum: 'FLOAT 1' } });
  });

  it('reruns exactly the changed node and its descendants', async () => {
    const { run } = setup();
    await run(graph(1, 0));
    const again = await run(graph(1, 0));
    expect(again.started).toEqual([]);
    expect(again.result.ui.s2).toEqual([{ kind: 'text', text: 'out=11' }]);

    const changed = await run(graph(1, 5));
    expect(new Set(changed.started)).toEqual(new Set(['a1', 's1', 'm', 's2']));
    // A cached node answers for everything upstream: c1 is not even looked at.
    expect(new Set(changed.cached)).toEqual(new Set(['c1', 'a2']));
    expect(changed.result.ui.s2).toEqual([{ kind: 'text', text: 'out=16' }]);
  });

  it('shares results across workflows with the same prefix, whatever the node ids', async () => {
    const { run } = setup();
    await run(graph());
    const other = doc({
      x: { type: 'Const', params: { value: 1 } },
      y: { type: 'Add', params: { bias: 0 }, inputs: { a: ['x', 'value'] } },
      z: { type: 'Sink', params: { label: 'other' }, inputs: { value: ['y', 'sum'] } },
    });
    const r = await run(other);
    expect(r.started).toEqual(['z']);
    expect(r.cached).toEqual(['y']);
  });

  it('targets chosen nodes and forces re-execution', async () => {
    const { run } = setup();
    const t = await run(graph(), { targets: ['a2'] });
    await run(graph());
    expect(t.started).toEqual(['c2', 'a2']);
    expect(t.result.outputs).toEqual({ a2: { sum: 10 } });
    const f = await run(graph(), { force: ['a1'] });
    expect(new Set(f.started)).toEqual(new Set(['a1', 's1', 'm', 's2']));
    const unknownForced = await run(graph(), { force: ['ghost'] });
    expect(unknownForced.result.issues).toMatchObject([{ code: 'unknown_target', nodeId: 'ghost' }]);
    const unknown = await run(graph(), { targets: ['ghost'] });
    expect(unknown.result.status).toBe('failed');
    expect(unknown.result.issues).toMatchObject([{ code: 'unknown_target', nodeId: 'ghost' }]);
  });

  it('follows each cache policy: seeded by seed, never-cached re-runs with descendants', async () => {
    const { run } = setup();
    const d = (seed: number) =>
      doc({
        n: { type: 'Noise', params: { seed } },
        k: { type: 'Clock' },
        a: { type: 'Add', inputs: { a: ['n', 'value'], b: ['k', 'value'] } },
        s: { type: 'Sink', inputs: { value: ['a', 'sum'] } },
      });
    await run(d(1));
    const second = await run(d(1));
    expect(new Set(second.started)).toEqual(new Set(['k', 'a', 's']));
    expect(second.cached).toEqual(['n']);
    const third = await run(d(2));
    expect(third.started).toContain('n');
  });

  it('runs a cached node again when its result no longer stands', async () => {
    const { registry } = testNodes();
    let valid = true;
    registry.get('Sink')!.isResultValid = () => valid;
    const engine = new Engine({ registry, services: createServices([]) });
    const started = async () => {
      const ids: string[] = [];
      await engine.run(graph(), { onEvent: (e) => e.type === 'node_started' && ids.push(e.nodeId) });
      return ids;
    };
    await started();
    expect(await started()).toEqual([]);
    valid = false;
    expect(new Set(await started())).toEqual(new Set(['s1', 's2']));
  });

  it('reports progress and previews, and stops within one step on interrupt', async () => {
    const { run, engine } = setup();
    const controller = new AbortController();
    const d = doc({
      c: { type: 'Const' },
      st: { type: 'Steps', params: { steps: 50, delayMs: 5 }, inputs: { x: ['c', 'value'] } },
      s: { type: 'Sink', inputs: { value: ['st', 'x'] } },
    });
    let progressAfterAbort = 0;
    const events: EngineEvent[] = [];
    const result = await engine.run(d, {
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'progress') {
          if (controller.signal.aborted) progressAfterAbort++;
          if (e.value === 3) controller.abort();
        }
      },
    });
    expect(result.status).toBe('interrupted');
    expect(progressAfterAbort).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'run_interrupted', nodeId: 'st' });
    expect(events.filter((e) => e.type === 'preview')).toHaveLength(1);
    // The finished upstream node stays cached; the interrupted one is not.
    const again = await run(doc({ c: { type: 'Const' }, s: { type: 'Sink', inputs: { value: ['c', 'value'] } } }));
    expect(again.cached).toEqual(['c']);
  });

  it('stops at a failed node with a clear error and keeps the cache intact', async () => {
    const { run, engine } = setup();
    const d = (failAt: number) =>
      doc({
        c: { type: 'Const', params: { value: 2 } },
        st: { type: 'Steps', params: { failAt }, inputs: { x: ['c', 'value'] } },
        s: { type: 'Sink', inputs: { value: ['st', 'x'] } },
      });
    const failed = await run(d(1));
    expect(failed.result.status).toBe('failed');
    expect(failed.result.error).toMatchObject({
      code: 'node_failed',
      nodeId: 'st',
      field: 'failAt',
      message: 'Steps (st) failed: step 1 failed on purpose',
    });
    expect(failed.events.find((e) => e.type === 'node_failed')).toMatchObject({ error: { level: 'user' } });
    expect(failed.started).not.toContain('s');
    const hitsBefore = engine.cache.stats().entries;
    expect(hitsBefore).toBe(1);
    const ok = await run(d(-1));
    expect(ok.result.status).toBe('succeeded');
    expect(ok.cached).toEqual(['c']);
  });

  it('refuses an invalid workflow with every issue and runs nothing', async () => {
    const { run, calls } = setup();
    const r = await run(doc({ s: { type: 'Sink' }, x: { type: 'Missing' } }));
    expect(r.result.status).toBe('failed');
    expect(r.result.issues!.map((i) => i.code).sort()).toEqual(['missing_input', 'unknown_node_type']);
    expect(r.events.map((e) => e.type)).toEqual(['run_failed']);
    expect(calls).toEqual([]);
    const none = await run(doc({ c: { type: 'Const' } }));
    expect(none.result.issues).toMatchObject([{ code: 'no_outputs' }]);
  });

  it('checks a value arriving at a parameter socket against the parameter schema', async () => {
    const { run } = setup();
    const d = (value: number) =>
      doc({
        c: { type: 'Const' },
        i: { type: 'Int', params: { value } },
        s: { type: 'Sink', inputs: { value: ['c', 'value'], count: ['i', 'value'] } },
      });
    expect((await run(d(3))).result.status).toBe('succeeded');
    const bad = await run(d(0));
    expect(bad.result.error).toMatchObject({ nodeId: 's', field: 'count' });
  });

  it('runs concurrency-safe nodes of independent branches at the same time', async () => {
    const { registry } = testNodes();
    let active = 0;
    let peak = 0;
    const slowAdd = registry.get('Add')!;
    const original = slowAdd.execute;
    slowAdd.execute = async (ctx, inputs, params) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20));
      active--;
      return original(ctx, inputs, params);
    };
    const engine = new Engine({ registry, services: createServices([]), maxConcurrency: 2 });
    const r = await engine.run(graph());
    expect(r.status).toBe('succeeded');
    expect(peak).toBe(2);
  });

  it('evicts least recently used results over the byte budget and answers from a secondary tier', async () => {
    const store = new Map<string, CachedResult>();
    const secondary: SecondaryCache = {
      async get(key) {
        return store.get(key);
      },
      async set(key, _def, result) {
        store.set(key, result);
      },
      stats: () => ({ entries: store.size }),
      async clear() {
        store.clear();
      },
    };
    const cache = new ResultCache({ maxBytes: 400, secondary });
    const { run } = setup(cache);
    await run(graph());
    const stats = cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(400);
    expect(stats.evictions).toBeGreaterThan(0);
    await cache.clear();
    const r = await run(graph());
    expect(r.started).toEqual([]);
    expect(r.events.filter((e) => e.type === 'node_cached').every((e) => (e as { tier: string }).tier === 'disk')).toBe(true);
  });
});
