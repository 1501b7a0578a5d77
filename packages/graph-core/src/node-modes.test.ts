import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { EngineEvent } from './events.js';
import { createServices } from './services.js';
import { doc, testNodes } from './testing/test-nodes.js';
import { validateWorkflow } from './validate.js';

function setup() {
  const { registry } = testNodes();
  const engine = new Engine({ registry, services: createServices([]) });
  const run = async (d: unknown) => {
    const events: EngineEvent[] = [];
    const result = await engine.run(d, { onEvent: (e) => events.push(e) });
    const started = events.filter((e) => e.type === 'node_started').map((e) => (e as { nodeId: string }).nodeId);
    return { result, started };
  };
  return { registry, run };
}

/** A node's mode field (spread in: the test documents' type has no such field, as older documents do not). */
const mode = (m: string): Record<string, unknown> => ({ mode: m });

/** c → a (Add, bias 5) → s; c2 → s2 */
const graph = (modes: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  doc({
    c: { type: 'Const', params: { value: 1 } },
    a: { type: 'Add', params: { bias: 5 }, inputs: { a: ['c', 'value'] }, ...(modes.a ? { mode: modes.a } : {}) },
    s: { type: 'Sink', inputs: { value: ['a', 'sum'] }, ...(modes.s ? { mode: modes.s } : {}) },
    c2: { type: 'Const', params: { value: 7 }, ...(modes.c2 ? { mode: modes.c2 } : {}) },
    s2: { type: 'Sink', inputs: { value: ['c2', 'value'] } },
    ...extra,
  });

describe('node modes', () => {
  it('a bypassed node passes its matching input through and does not run', async () => {
    const normal = await setup().run(graph());
    expect(normal.started).toContain('a');
    expect(normal.result.ui.s).toEqual([{ kind: 'text', text: 'out=6' }]);
    const { result, started } = await setup().run(graph({ a: 'bypass' }));
    expect(result.status).toBe('succeeded');
    expect(started).not.toContain('a');
    expect(started).toEqual(expect.arrayContaining(['c', 's']));
    // The sink got c's value as it was (no bias added).
    expect(result.ui.s).toEqual([{ kind: 'text', text: 'out=1' }]);
  });

  it('a muted node and what needs it do not run; the rest does', async () => {
    const { result, started } = await setup().run(graph({ c2: 'mute' }));
    expect(result.status).toBe('succeeded');
    expect(started).not.toContain('c2');
    expect(started).not.toContain('s2');
    expect(started).toEqual(expect.arrayContaining(['c', 'a', 's']));
    // Muting an output node leaves only the other branch.
    const other = await setup().run(graph({ s: 'mute' }));
    expect(other.started.sort()).toEqual(['c2', 's2']);
  });

  it('a muted node feeding an optional input leaves it unlinked; a required one mutes the consumer', () => {
    const { registry } = setup();
    const d = doc({
      c: { type: 'Const', params: { value: 1 } },
      m: { type: 'Const', params: { value: 2 }, ...mode('mute') },
      a: { type: 'Add', inputs: { a: ['c', 'value'], b: ['m', 'value'] } },
      a2: { type: 'Add', inputs: { a: ['m', 'value'] } },
      s: { type: 'Sink', inputs: { value: ['a', 'sum'] } },
    });
    const r = validateWorkflow(d, registry);
    expect(r.ok).toBe(true);
    expect(Object.keys(r.workflow!.nodes).sort()).toEqual(['a', 'c', 's']);
    expect(r.workflow!.nodes.a!.inputs).toEqual({ a: ['c', 'value'] });
  });

  it('a bypass with nothing of the right type to pass on is refused on that node; reroutes vanish', () => {
    const { registry } = setup();
    const bad = doc({
      t: { type: 'Text' },
      c: { type: 'Const', params: { value: 1 }, ...mode('bypass') },
      s: { type: 'Sink', inputs: { value: ['c', 'value'] } },
    });
    const r = validateWorkflow(bad, registry);
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ code: 'type_mismatch', nodeId: 'c' });
    expect(r.issues[0]!.message).toContain('FLOAT');

    const rerouted = doc({
      c: { type: 'Const', params: { value: 1 } },
      r1: { type: 'Reroute', inputs: { input: ['c', 'value'] } },
      r2: { type: 'Reroute', inputs: { input: ['r1', 'output'] } },
      s: { type: 'Sink', inputs: { value: ['r2', 'output'] } },
    });
    const ok = validateWorkflow(rerouted, registry);
    expect(ok.ok).toBe(true);
    expect(Object.keys(ok.workflow!.nodes).sort()).toEqual(['c', 's']);
    expect(ok.workflow!.nodes.s!.inputs.value).toEqual(['c', 'value']);
  });

  it('leaves a document without modes as it was', () => {
    const { registry } = setup();
    const d = graph();
    const r = validateWorkflow(d, registry);
    expect(r.ok).toBe(true);
    expect(Object.keys(r.workflow!.nodes).sort()).toEqual(['a', 'c', 'c2', 's', 's2']);
  });
});
