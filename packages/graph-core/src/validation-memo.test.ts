import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineNode } from './node-definition.js';
import { p } from './param-hints.js';
import { planRun, Planner } from './plan.js';
import { testNodes } from './testing/test-nodes.js';
import { validateWorkflow, ValidationMemo } from './validate.js';

/** A type the registry lacks until an "install" edit adds it. */
const Later = defineNode({
  type: 'Later',
  category: 'test',
  title: 'Later',
  description: 'Installed mid-session',
  version: 1,
  inputs: { value: { type: 'FLOAT', optional: true } },
  outputs: { value: { type: 'FLOAT' } },
  params: { gain: p.float({ default: 1, min: 0, max: 4 }) },
  cache: 'pure',
  execute: (_ctx, inputs, params) => ({ value: ((inputs.value as number) ?? 0) * params.gain }),
});

const ids = ['a', 'b', 'c', 'd', 'e', '7', 'constructor'];
const types = ['Const', 'Add', 'Steps', 'Noise', 'Clock', 'Sink', 'Text', 'Int', 'Later', 'Nope'];
const names = ['value', 'a', 'b', 'x', 'bias', 'seed', 'label', 'count', 'text', 'tags', 'gain', 'nothing'];
const outputs = ['value', 'sum', 'x', 'text', 'nope'];
const anyValue = fc.oneof(
  fc.integer({ min: -2000, max: 2000 }),
  fc.double({ noDefaultInfinity: false }),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('k', 'j'), fc.integer()),
);

type Doc = { format: string; version: number; nodes: Record<string, any>; ui?: unknown; meta?: unknown };
type Edit =
  | { kind: 'node'; id: string; type: string; params: Record<string, unknown> }
  | { kind: 'param'; id: string; name: string; value: unknown }
  | { kind: 'link'; id: string; name: string; source: string; output: string }
  | { kind: 'unlink'; id: string; name: string }
  | { kind: 'type'; id: string; type: string }
  | { kind: 'remove'; id: string }
  | { kind: 'corrupt'; id: string; value: unknown }
  | { kind: 'reorder' }
  | { kind: 'ui'; value: unknown }
  | { kind: 'install' }
  | { kind: 'reset' };

/** Edits that keep a small graph runnable, so content keys get compared often. */
const validParam = fc.oneof(
  fc.record({
    kind: fc.constant('param' as const),
    id: fc.constant('a'),
    name: fc.constant('value'),
    value: fc.integer({ min: -5, max: 5 }),
  }),
  fc.record({
    kind: fc.constant('param' as const),
    id: fc.constantFrom('b', 'c'),
    name: fc.constant('bias'),
    value: fc.integer({ min: -5, max: 5 }),
  }),
);
const validLink = fc.record({
  kind: fc.constant('link' as const),
  id: fc.constantFrom('b', 'c'),
  name: fc.constantFrom('a', 'b'),
  source: fc.constantFrom('a', 'b'),
  output: fc.constantFrom('value', 'sum'),
});

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'reset' as const }), weight: 2 },
  { arbitrary: validParam, weight: 6 },
  { arbitrary: validLink, weight: 2 },
  fc.record({
    kind: fc.constant('node' as const),
    id: fc.constantFrom(...ids),
    type: fc.constantFrom(...types),
    params: fc.dictionary(fc.constantFrom(...names), anyValue, { maxKeys: 2 }),
  }),
  fc.record({ kind: fc.constant('param' as const), id: fc.constantFrom(...ids), name: fc.constantFrom(...names), value: anyValue }),
  fc.record({
    kind: fc.constant('link' as const),
    id: fc.constantFrom(...ids),
    name: fc.constantFrom(...names),
    source: fc.constantFrom(...ids, 'ghost'),
    output: fc.constantFrom(...outputs),
  }),
  fc.record({ kind: fc.constant('unlink' as const), id: fc.constantFrom(...ids), name: fc.constantFrom(...names) }),
  fc.record({ kind: fc.constant('type' as const), id: fc.constantFrom(...ids), type: fc.constantFrom(...types) }),
  fc.record({ kind: fc.constant('remove' as const), id: fc.constantFrom(...ids) }),
  fc.record({
    kind: fc.constant('corrupt' as const),
    id: fc.constantFrom(...ids),
    value: fc.oneof(anyValue, fc.constant({ type: 5 }), fc.constant({ type: 'Add', inputs: { a: ['x'] } })),
  }),
  fc.constant({ kind: 'reorder' as const }),
  fc.record({
    kind: fc.constant('ui' as const),
    value: fc.oneof(
      fc.constant(undefined),
      fc.constant({ nodes: { a: { x: 1, y: 2 } } }),
      fc.constant({ nodes: { a: { x: 'no' } } }),
      anyValue,
    ),
  }),
  fc.constant({ kind: 'install' as const }),
);

function runnableNodes(): Record<string, any> {
  return {
    a: { type: 'Const', params: { value: 1 } },
    b: { type: 'Add', inputs: { a: ['a', 'value'] } },
    c: { type: 'Add', inputs: { a: ['b', 'sum'], b: ['a', 'value'] } },
    d: { type: 'Sink', inputs: { value: ['c', 'sum'] } },
  };
}

/** How the caller hands in the edited document: a new document sharing unchanged nodes, the same objects edited in place, or a fresh copy. */
const mode = fc.constantFrom('shared', 'in-place', 'fresh');

function applyEdit(d: Doc, e: Edit, how: string, install: () => void): Doc {
  const inPlace = how === 'in-place';
  const out: Doc = inPlace ? d : { ...d, nodes: { ...d.nodes } };
  const nodeFor = (id: string): any => {
    const n = out.nodes[id];
    const base = typeof n === 'object' && n !== null && !Array.isArray(n) ? n : { type: 'Const' };
    const copy = inPlace && base === n ? base : { ...base, params: { ...(base.params ?? {}) }, inputs: { ...(base.inputs ?? {}) } };
    if (typeof copy.params !== 'object' || copy.params === null) copy.params = {};
    if (typeof copy.inputs !== 'object' || copy.inputs === null) copy.inputs = {};
    out.nodes[id] = copy;
    return copy;
  };
  switch (e.kind) {
    case 'node':
      out.nodes[e.id] = { type: e.type, params: e.params, inputs: {} };
      break;
    case 'param':
      nodeFor(e.id).params[e.name] = e.value;
      break;
    case 'link':
      nodeFor(e.id).inputs[e.name] = [e.source, e.output];
      break;
    case 'unlink':
      delete nodeFor(e.id).inputs[e.name];
      break;
    case 'type':
      nodeFor(e.id).type = e.type;
      break;
    case 'remove':
      delete out.nodes[e.id];
      break;
    case 'corrupt':
      out.nodes[e.id] = e.value;
      break;
    case 'reorder': {
      const reversed = Object.fromEntries(Object.entries(out.nodes).reverse());
      if (inPlace) {
        for (const k of Object.keys(out.nodes)) delete out.nodes[k];
        Object.assign(out.nodes, reversed);
      } else out.nodes = reversed;
      break;
    }
    case 'ui':
      if (e.value === undefined) delete out.ui;
      else out.ui = e.value;
      break;
    case 'install':
      install();
      break;
    case 'reset':
      out.nodes = runnableNodes();
      break;
  }
  return how === 'fresh' ? structuredClone(out) : out;
}

describe('ValidationMemo and Planner (incremental reruns)', () => {
  it('give the same issues, workflow and content keys as a full validation and plan, over random edit sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(edit, mode), { minLength: 1, maxLength: 30 }), async (edits) => {
        const { registry } = testNodes();
        const memo = new ValidationMemo();
        const planner = new Planner(registry);
        let installed = false;
        const install = () => {
          if (!installed) registry.register(Later);
          installed = true;
        };
        let d: Doc = { format: 'kinegraph.workflow', version: 1, nodes: runnableNodes() };
        for (const [e, how] of edits) {
          d = applyEdit(d, e, how, install);
          const incremental = validateWorkflow(d, registry, memo);
          const full = validateWorkflow(structuredClone(d), registry);
          // (toEqual, not toStrictEqual: a node id "constructor" trips its class comparison)
          expect(incremental).toEqual(full);
          expect(JSON.stringify(incremental)).toBe(JSON.stringify(full)); // same order of issues and keys
          if (!incremental.ok || !full.ok) continue;
          const targets = Object.keys(full.workflow.nodes);
          const fresh = await planRun(full.workflow, registry, targets);
          const remembered = (await planner.plan(incremental.workflow, targets)).nodes;
          expect(remembered.map((n) => [n.id, n.key, n.deps])).toEqual(fresh.map((n) => [n.id, n.key, n.deps]));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sees a parameter edited in place in a document it has already validated', () => {
    const { registry } = testNodes();
    const memo = new ValidationMemo();
    const d: Doc = {
      format: 'kinegraph.workflow',
      version: 1,
      nodes: { c: { type: 'Const', params: { value: 1 } }, s: { type: 'Sink', inputs: { value: ['c', 'value'] } } },
    };
    expect(validateWorkflow(d, registry, memo).ok).toBe(true);
    d.nodes.c.params.value = 5000;
    const r = validateWorkflow(d, registry, memo);
    expect(r.issues.map((i) => `${i.code}@${i.nodeId}.${i.field}`)).toEqual(['invalid_param@c.value']);
  });

  it('hands out frozen nodes, so a consumer can not change what a later run reuses', () => {
    const { registry } = testNodes();
    const memo = new ValidationMemo();
    const d: Doc = { format: 'kinegraph.workflow', version: 1, nodes: { c: { type: 'Const', params: { value: 1 } } } };
    const r = validateWorkflow(d, registry, memo);
    expect(Object.isFrozen(r.workflow!.nodes.c)).toBe(true);
    expect(Object.isFrozen(r.workflow!.nodes.c!.params)).toBe(true);
    expect(() => {
      (r.workflow!.nodes.c!.params as Record<string, unknown>).value = 2;
    }).toThrow();
  });
});
