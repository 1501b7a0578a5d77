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
    // Laid out as Arrange does (dagre): b feeds a, so it sits left of it.
    expect(doc.ui.nodes.b.x).toBeLessThan(doc.ui.nodes.a.x);
    expect(doc.ui.groups).toEqual([]);
  });

  it('upgrades a version 0 document with graph-core migrations', () => {
    const doc = normalizeWorkflow({
      format: 'kinegraph.workflow',
      version: 0,
      nodes: [
        { id: 'a', type: 'Int', params: { value: 2 }, position: { x: 5, y: 6 } },
        { id: 'b', type: 'ResizeImage', params: {}, links: { width: { from: 'a', output: 'value' } } },
      ],
    });
    expect(doc.version).toBe(1);
    expect(doc.nodes.b.inputs).toEqual({ width: ['a', 'value'] });
    expect(doc.ui.nodes.a).toEqual({ x: 5, y: 6 });
  });

  it('refuses a document that is not a workflow, or one from a newer format', () => {
    expect(() => normalizeWorkflow({ format: 'kinegraph.workflow', version: 9, nodes: {} })).toThrow(/newer/);
    expect(() => normalizeWorkflow({ nodes: {} })).toThrow(/Kinegraph workflow/);
    expect(() => normalizeWorkflow({ format: 'kinegraph.workflow' })).toThrow(/nodes/);
  });
});
