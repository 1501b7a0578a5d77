import { describe, expect, it } from 'vitest';
import { migrateWorkflow } from './migrate.js';
import { testNodes } from './testing/test-nodes.js';
import { validateWorkflow } from './validate.js';

describe('migrateWorkflow', () => {
  const v0 = {
    format: 'kinegraph.workflow',
    version: 0,
    meta: { name: 'old' },
    nodes: [
      { id: 'c', type: 'Const', params: { value: 1 }, position: { x: 5, y: 6 } },
      { id: 'a', type: 'Add', params: { offset: 2 }, links: { a: { from: 'c', output: 'value' } }, position: { x: 100, y: 6 } },
    ],
  };

  it('upgrades a version 0 document to the current shape', () => {
    expect(migrateWorkflow(v0)).toEqual({
      format: 'kinegraph.workflow',
      version: 1,
      meta: { name: 'old' },
      nodes: {
        c: { type: 'Const', version: 1, params: { value: 1 }, inputs: {} },
        a: { type: 'Add', version: 1, params: { offset: 2 }, inputs: { a: ['c', 'value'] } },
      },
      ui: { nodes: { c: { x: 5, y: 6 }, a: { x: 100, y: 6 } }, groups: [], notes: [] },
    });
  });

  it('feeds validation, which then migrates node parameters too', () => {
    const { registry } = testNodes();
    const r = validateWorkflow(v0, registry);
    expect(r.workflow?.nodes.a?.params).toEqual({ bias: 2 });
  });

  it('leaves current and unknown documents alone, and never throws', () => {
    const current = { format: 'kinegraph.workflow', version: 1, nodes: {} };
    expect(migrateWorkflow(current)).toBe(current);
    for (const v of [null, 3, 'x', [], { format: 'kinegraph.workflow', version: 0, nodes: 'broken' }])
      expect(() => migrateWorkflow(v)).not.toThrow();
  });
});
