import { describe, expect, it } from 'vitest';
import { sampleWorkflow, schemaMap } from '../test-fixtures.js';
import { EditorStore } from '../store/editor-store.js';
import { applySeedModes, MAX_SEED, nextSeed, seedsToAdvance } from './seed-after-run.js';

describe('seed after run', () => {
  it('keeps, increments (by the batch size) or randomizes', () => {
    expect(nextSeed(5, 'fixed')).toBe(5);
    expect(nextSeed(5, 'increment')).toBe(6);
    expect(nextSeed(5, 'increment', 4)).toBe(9);
    expect(nextSeed(MAX_SEED, 'increment')).toBe(0);
    const r = nextSeed(5, 'randomize');
    expect(Number.isSafeInteger(r) && r >= 0).toBe(true);
  });

  it('advances only non-fixed, unlinked seeds, as one undo step', () => {
    const doc = sampleWorkflow();
    expect(seedsToAdvance(doc, schemaMap)).toEqual([]);
    doc.ui.nodes['4'].seedMode = { seed: 'increment' };
    const store = new EditorStore(doc);
    applySeedModes(store, schemaMap, 1);
    expect(store.doc.nodes['4'].params.seed).toBe(8);
    store.undo();
    expect(store.doc.nodes['4'].params.seed).toBe(7);
  });
});
