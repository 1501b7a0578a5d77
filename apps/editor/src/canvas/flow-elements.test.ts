import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { sampleWorkflow, schemaMap } from '../test-fixtures.js';
import { buildFlowEdges, buildFlowNodes } from './flow-elements.js';

describe('React Flow elements from the document', () => {
  it('builds nodes, groups below them, notes, and one coloured edge per link', () => {
    const doc = sampleWorkflow();
    doc.ui.groups.push({ id: 'g', title: 'G', x: 0, y: 0, width: 100, height: 100 });
    doc.ui.notes.push({ id: 'n', text: 'hi', x: 5, y: 5 });
    const nodes = buildFlowNodes(doc, []);
    expect(nodes.map((n) => n.id)).toEqual(['group:g', 'note:n', '1', '2', '3', '4']);
    expect(nodes[0].zIndex).toBe(-1);
    const edges = buildFlowEdges(doc, schemaMap, []);
    expect(edges.map((e) => e.id)).toEqual(['2:image', '3:image']);
    expect(edges[0]).toMatchObject({
      source: '1',
      sourceHandle: 'image',
      target: '2',
      targetHandle: 'image',
      style: { stroke: '#64b5f6' },
    });
  });

  it('reuses unchanged node objects (keeps measured sizes and selection) and rebuilds moved ones', () => {
    const doc = sampleWorkflow();
    const first = buildFlowNodes(doc, []).map((n) => (n.id === '2' ? { ...n, selected: true, measured: { width: 280, height: 120 } } : n));
    const moved = produce(doc, (d) => void (d.ui.nodes['1'].x = 50));
    const next = buildFlowNodes(moved, first);
    expect(next[1]).toBe(first[1]);
    expect(next[0]).not.toBe(first[0]);
    expect(next[0].position).toEqual({ x: 50, y: 0 });
    expect(next[1].selected).toBe(true);
    const pasted = buildFlowNodes(moved, next, new Set(['3']));
    expect(pasted.filter((n) => n.selected).map((n) => n.id)).toEqual(['3']);
    expect(pasted[1].measured).toEqual({ width: 280, height: 120 });
  });
});
