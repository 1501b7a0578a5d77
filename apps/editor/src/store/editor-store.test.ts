import { describe, expect, it } from 'vitest';
import { sampleWorkflow } from '../test-fixtures.js';
import { EditorStore } from './editor-store.js';

describe('EditorStore undo history', () => {
  it('undoes and redoes each edit', () => {
    const s = new EditorStore(sampleWorkflow());
    s.edit('width', (d) => void (d.nodes['2'].params.width = 800));
    s.edit('prefix', (d) => void (d.nodes['3'].params.prefix = 'clip'));
    expect(s.doc.nodes['2'].params.width).toBe(800);
    s.undo();
    expect(s.doc.nodes['3'].params.prefix).toBe('out');
    expect(s.doc.nodes['2'].params.width).toBe(800);
    s.undo();
    expect(s.doc.nodes['2'].params.width).toBe(640);
    expect(s.getState().canUndo).toBe(false);
    s.redo();
    s.redo();
    expect(s.doc.nodes['3'].params.prefix).toBe('clip');
    expect(s.getState().canRedo).toBe(false);
  });

  it('keeps at least 100 steps and walks all of them back to the start', () => {
    const s = new EditorStore(sampleWorkflow());
    for (let i = 1; i <= 150; i++) s.edit(`step ${i}`, (d) => void (d.ui.nodes['1'].x = i));
    let steps = 0;
    while (s.getState().canUndo) {
      s.undo();
      steps++;
    }
    expect(steps).toBeGreaterThanOrEqual(150);
    expect(s.doc.ui.nodes['1'].x).toBe(0);
    for (let i = 0; i < 150; i++) s.redo();
    expect(s.doc.ui.nodes['1'].x).toBe(150);
  });

  it('records a transaction (a paste, a multi-move, a delete) as one step', () => {
    const s = new EditorStore(sampleWorkflow());
    s.transaction('Move 3', () => {
      s.edit('a', (d) => void (d.ui.nodes['1'].x = 10));
      s.edit('b', (d) => void (d.ui.nodes['2'].x = 20));
      s.edit('c', (d) => void delete d.nodes['4']);
    });
    expect(s.history.size).toBe(1);
    s.undo();
    expect(s.doc).toEqual(sampleWorkflow());
    s.redo();
    expect(s.doc.ui.nodes['2'].x).toBe(20);
    expect(s.doc.nodes['4']).toBeUndefined();
  });

  it('makes loading a document undoable and a new edit clears redo', () => {
    const s = new EditorStore(sampleWorkflow());
    s.load({ format: 'kinegraph.workflow', version: 1, nodes: {}, ui: { nodes: {}, groups: [], notes: [] } });
    expect(Object.keys(s.doc.nodes)).toHaveLength(0);
    s.undo();
    expect(Object.keys(s.doc.nodes)).toHaveLength(4);
    s.redo();
    s.undo();
    s.edit('x', (d) => void (d.ui.nodes['1'].x = 5));
    expect(s.getState().canRedo).toBe(false);
  });

  it('never records a viewport change', () => {
    const s = new EditorStore(sampleWorkflow());
    s.setViewport({ x: 12.4, y: -3, zoom: 0.75 });
    expect(s.doc.ui.viewport).toEqual({ x: 12, y: -3, zoom: 0.75 });
    expect(s.getState().canUndo).toBe(false);
  });

  it('notifies subscribers only on change', () => {
    const s = new EditorStore(sampleWorkflow());
    let calls = 0;
    s.subscribe(() => calls++);
    s.edit('noop', () => undefined);
    expect(calls).toBe(0);
    s.edit('x', (d) => void (d.ui.nodes['1'].x = 1));
    expect(calls).toBe(1);
  });
});
