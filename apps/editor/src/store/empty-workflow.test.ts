import { describe, expect, it } from 'vitest';
import { normalizeWorkflow } from './empty-workflow.js';

describe('normalizeWorkflow', () => {
  it('keeps unknown node types with their params and links, and lays out nodes without positions', () => {
    const doc = normalizeWorkflow({
      format: 'kinegraph.workflow',
      version: 1,
      nodes: { a: { type: 'Gone', params: { strength: 3 }, inputs: { x: ['b', 'out'] } }, b: { type: 'Int', params: { value: 1 } } },
    });
    expect(doc.nodes.a).toEqual({ type: 'Gone', params: { strength: 3 }, inputs: { x: ['b', 'out'] } });
    expect(doc.nodes.b.inputs).toEqual({});
    expect(Object.keys(doc.ui.nodes)).toEqual(['a', 'b']);
    expect(doc.ui.groups).toEqual([]);
  });

  it('refuses a document that is not a workflow', () => {
    expect(() => normalizeWorkflow({ nodes: {} })).toThrow(/Kinegraph workflow/);
    expect(() => normalizeWorkflow({ format: 'kinegraph.workflow' })).toThrow(/nodes/);
  });
});
