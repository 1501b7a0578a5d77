import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { sampleWorkflow, schemaMap } from '../test-fixtures.js';
import { addNode, connect, copyItems, nextNodeId, nodesInGroup, pasteClip, removeItems } from './node-ops.js';

describe('node operations', () => {
  it('adds a node with its default params and a fresh id', () => {
    const doc = produce(sampleWorkflow(), (d) => void addNode(d, schemaMap.get('ResizeImage')!, { x: 10.4, y: 20.6 }));
    expect(doc.nodes['5']).toMatchObject({ type: 'ResizeImage', params: { width: 1280, scale: 0.5 }, inputs: {} });
    expect(doc.ui.nodes['5']).toEqual({ x: 10, y: 21 });
  });

  it('replaces the link an input had (one link per input)', () => {
    const doc = produce(sampleWorkflow(), (d) => connect(d, '1', 'image', '3', 'image'));
    expect(doc.nodes['3'].inputs.image).toEqual(['1', 'image']);
  });

  it('removes nodes with every link into them', () => {
    const doc = produce(sampleWorkflow(), (d) => removeItems(d, ['2']));
    expect(doc.nodes['2']).toBeUndefined();
    expect(doc.ui.nodes['2']).toBeUndefined();
    expect(doc.nodes['3'].inputs).toEqual({});
  });

  it('copies the links inside a selection and pastes with new ids at the cursor', () => {
    const clip = copyItems(sampleWorkflow(), ['2', '3']);
    expect(clip.nodes['2'].inputs).toEqual({});
    let ids: string[] = [];
    const doc = produce(sampleWorkflow(), (d) => void (ids = pasteClip(d, clip, { x: 1000, y: 500 })));
    expect(ids).toEqual(['5', '6']);
    expect(doc.nodes['6'].inputs.image).toEqual(['5', 'image']);
    expect(doc.ui.nodes['5']).toEqual({ x: 1000, y: 500 });
    expect(doc.ui.nodes['6']).toEqual({ x: 1320, y: 500 });
  });

  it('finds the items inside a group', () => {
    const doc = sampleWorkflow();
    doc.ui.groups.push({ id: 'g', title: 'G', x: -10, y: -10, width: 400, height: 100 });
    expect(nodesInGroup(doc, 'g')).toEqual(['1', '2']);
    expect(nextNodeId(doc)).toBe('5');
  });
});
