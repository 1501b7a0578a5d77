import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doc, testNodes } from './testing/test-nodes.js';
import { DOCUMENT_LIMITS, MAX_REPORTED_ISSUES, validateWorkflow } from './validate.js';
import { WorkflowSchema } from './workflow-schema.js';

const { registry } = testNodes();

const good = () =>
  doc({
    c: { type: 'Const', params: { value: 2 } },
    a: { type: 'Add', inputs: { a: ['c', 'value'] } },
    s: { type: 'Sink', inputs: { value: ['a', 'sum'] } },
  });

function codes(d: unknown) {
  const r = validateWorkflow(d, registry);
  return r.issues.map((i) => `${i.code}@${i.nodeId ?? ''}.${i.field ?? ''}`).sort();
}

describe('validateWorkflow', () => {
  it('accepts a valid graph and fills in defaults', () => {
    const r = validateWorkflow(good(), registry);
    expect(r.ok).toBe(true);
    expect(r.workflow!.nodes.a!.params).toEqual({ bias: 0 });
    expect(r.workflow!.nodes.a!.version).toBe(2);
  });

  it('reports every problem at once, each with its node and field', () => {
    const d = doc({
      c: { type: 'Const', params: { value: 5000, colour: 'red' } },
      x: { type: 'Nope', params: { keep: 1 }, inputs: { in: ['c', 'value'] } },
      a: { type: 'Add', inputs: { a: ['ghost', 'value'], b: ['c', 'nothing'], z: ['c', 'value'] } },
      t: { type: 'Text' },
      s: { type: 'Sink', params: { count: 1.5 }, inputs: { value: ['t', 'text'] } },
      s2: { type: 'Sink' },
    });
    expect(codes(d)).toEqual(
      [
        'invalid_param@c.value',
        'unknown_param@c.colour',
        'unknown_node_type@x.type',
        'link_to_missing_node@a.a',
        'link_to_missing_output@a.b',
        'unknown_input@a.z',
        'invalid_param@s.count',
        'type_mismatch@s.value',
        'missing_input@s2.value',
      ].sort(),
    );
  });

  it('gives messages a user can act on', () => {
    const r = validateWorkflow(doc({ t: { type: 'Text' }, s: { type: 'Sink', inputs: { value: ['t', 'text'] } } }), registry);
    expect(r.issues[0]!.message).toBe('Input "value" expects FLOAT but Text "t".text gives STRING');
  });

  it('runs cross-field checks', () => {
    expect(codes(doc({ c: { type: 'Const' }, s: { type: 'Sink', params: { label: 'bad' }, inputs: { value: ['c', 'value'] } } }))).toEqual([
      'invalid_param@s.label',
    ]);
  });

  it('finds cycles and names every node on them', () => {
    const d = doc({
      a: { type: 'Add', inputs: { a: ['b', 'sum'] } },
      b: { type: 'Add', inputs: { a: ['a', 'sum'] } },
      s: { type: 'Add', inputs: { a: ['s', 'sum'] } },
      ok: { type: 'Const' },
    });
    expect(codes(d)).toEqual(['cycle@a.a', 'cycle@b.a', 'cycle@s.a']);
  });

  it('accepts a parameter turned into an input socket, and checks its type', () => {
    const d = doc({
      c: { type: 'Const', params: { value: 3 } },
      a: { type: 'Add', inputs: { a: ['c', 'value'], bias: ['c', 'value'] } },
      t: { type: 'Text' },
      s: { type: 'Sink', inputs: { value: ['a', 'sum'], label: ['t', 'text'] } },
    });
    expect(validateWorkflow(d, registry).ok).toBe(true);
    d.nodes.s!.inputs!.count = ['t', 'text'];
    expect(codes(d)).toEqual(['type_mismatch@s.count']);
  });

  it('migrates parameters saved by an older node version', () => {
    const d = doc({ c: { type: 'Const' }, a: { type: 'Add', version: 1, params: { offset: 4 }, inputs: { a: ['c', 'value'] } } });
    const r = validateWorkflow(d, registry);
    expect(r.ok).toBe(true);
    expect(r.workflow!.nodes.a!.params).toEqual({ bias: 4 });
  });

  it('warns, without failing, about a node saved by a newer version', () => {
    const r = validateWorkflow(doc({ c: { type: 'Const', version: 7 } }), registry);
    expect(r.ok).toBe(true);
    expect(r.issues).toMatchObject([{ nodeId: 'c', field: 'version', severity: 'warning' }]);
  });

  it('rejects documents that are not workflows, and newer formats, clearly', () => {
    expect(codes(null)).toEqual(['invalid_document@.']);
    expect(codes({ format: 'comfy', nodes: {} })).toEqual(['invalid_document@.format']);
    expect(codes({ format: 'kinegraph.workflow', version: 9, nodes: {} })).toEqual(['unsupported_version@.version']);
    expect(codes({ format: 'kinegraph.workflow', version: 1, nodes: { a: { params: {} } } })).toEqual(['invalid_document@a.type']);
  });

  it('keeps a missing node type with its parameters, links and unknown fields when saved again', () => {
    const d = {
      ...doc({
        c: { type: 'Const', params: {}, inputs: {} },
        x: { type: 'FancyPlugin', version: 3, params: { strength: 0.7 }, inputs: { v: ['c', 'value'] } },
      }),
      ui: { nodes: { x: { x: 10, y: 20, pluginColour: 'teal' } }, groups: [], notes: [] },
      extension: { by: 'someone' },
    };
    const r = validateWorkflow(d, registry);
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code)).toEqual(['unknown_node_type']);
    const saved = JSON.parse(JSON.stringify(WorkflowSchema.parse(JSON.parse(JSON.stringify(d)))));
    expect(saved).toEqual(d);
  });

  it('never throws on random or mutated documents (fuzz)', () => {
    const anyJson = fc.jsonValue({ maxDepth: 5 });
    fc.assert(
      fc.property(anyJson, (v) => {
        const r = validateWorkflow(v, registry);
        expect(r.ok).toBe(false);
        expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
    const mutation = fc.record({
      path: fc.array(fc.constantFrom('nodes', 'c', 'a', 's', 'params', 'inputs', 'value', 'a', '0', 'type', 'bias', 'ui'), {
        minLength: 1,
        maxLength: 4,
      }),
      value: anyJson,
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const d: any = good();
        for (const m of mutations) {
          let o = d;
          for (const k of m.path.slice(0, -1)) {
            if (typeof o !== 'object' || o === null) break;
            o = o[k];
          }
          if (typeof o === 'object' && o !== null) o[m.path[m.path.length - 1]!] = m.value;
        }
        const r = validateWorkflow(d, registry);
        expect(Array.isArray(r.issues)).toBe(true);
        if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('lists the first 100 problems and counts the rest, errors before warnings', () => {
    const d = { ...good(), ui: { notes: Array.from({ length: 5000 }, () => 1) } };
    const r = validateWorkflow(d, registry);
    expect(r.ok).toBe(false);
    expect(r.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(r.omittedIssues).toBe(4900);
    expect(r.issues[0]).toMatchObject({ code: 'invalid_document', field: 'ui.notes.0' });
    // 150 warnings and one error: the error is among those listed.
    const nodes: Record<string, { type: string; version?: number }> = {};
    for (let i = 0; i < 150; i++) nodes[`c${i}`] = { type: 'Const', version: 7 };
    nodes.bad = { type: 'Nope' };
    const w = validateWorkflow(doc(nodes), registry);
    expect(w.ok).toBe(false);
    expect(w.issues.some((i) => i.code === 'unknown_node_type')).toBe(true);
    expect(w.issues).toHaveLength(100);
    expect(w.omittedIssues).toBe(51);
  });

  it('refuses millions of bad entries at once, with one problem naming the limit', () => {
    const d = { ...good(), ui: { notes: new Array(2_000_000).fill(1) } };
    const r = validateWorkflow(d, registry);
    expect(r.issues).toEqual([
      {
        code: 'limit_exceeded',
        field: 'ui.notes',
        message: `"ui.notes" has 2000000 entries; the limit is ${DOCUMENT_LIMITS.maxEntries} per object or array (maxEntries)`,
      },
    ]);
    expect(JSON.stringify(r).length).toBeLessThan(1000);
  });

  it('does not keep unknown fields nested thousands deep (the saved run must serialise)', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 5000; i++) deep = (deep.a = {}) as Record<string, unknown>;
    const d: any = good();
    d.nodes.c.extra = root;
    const r = validateWorkflow(d, registry);
    expect(r.ok).toBe(false);
    expect(r.workflow).toBeUndefined();
    expect(r.issues).toMatchObject([{ code: 'limit_exceeded', message: expect.stringContaining('maxDepth') }]);
    expect(r.issues[0]!.field!.startsWith('nodes.c.extra.a.a')).toBe(true);
    // Within the limit, unknown fields are kept as they are.
    const ok: any = good();
    let inner: Record<string, unknown> = {};
    ok.meta = { deep: inner };
    for (let i = 0; i < 50; i++) inner = (inner.a = {}) as Record<string, unknown>;
    const kept = validateWorkflow(ok, registry);
    expect(kept.ok).toBe(true);
    expect(JSON.stringify(kept.workflow).length).toBeGreaterThan(200);
  });

  it('refuses an overlong text and too many nodes, naming the limit', () => {
    const long: any = good();
    long.meta = { description: 'x'.repeat(DOCUMENT_LIMITS.maxStringLength + 1) };
    expect(validateWorkflow(long, registry).issues).toMatchObject([
      { code: 'limit_exceeded', field: 'meta.description', message: expect.stringContaining('maxStringLength') },
    ]);
    const nodes: Record<string, { type: string }> = {};
    for (let i = 0; i <= DOCUMENT_LIMITS.maxNodes; i++) nodes[`n${i}`] = { type: 'Const' };
    expect(validateWorkflow(doc(nodes), registry).issues).toMatchObject([
      { code: 'limit_exceeded', field: 'nodes', message: expect.stringContaining('maxNodes') },
    ]);
  });
});
