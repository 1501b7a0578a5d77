import { describe, expect, it, vi } from 'vitest';
import { sampleWorkflow } from '../test-fixtures.js';
import { loadAutosave, startAutosave } from './autosave.js';
import { EditorStore } from './editor-store.js';

/** The Web Storage interface over a Map (vitest runs in Node, which has no localStorage). */
class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

describe('autosave', () => {
  it('writes the document once after a burst of edits, and reads it back', () => {
    vi.useFakeTimers();
    try {
      const storage = new MemoryStorage();
      const setItem = vi.spyOn(storage, 'setItem');
      const store = new EditorStore(sampleWorkflow());
      const stop = startAutosave(store, storage, 400);
      for (let i = 0; i < 50; i++) store.edit('drag', (d) => void (d.ui.nodes['1'].x = i));
      expect(setItem).not.toHaveBeenCalled();
      vi.advanceTimersByTime(500);
      expect(setItem).toHaveBeenCalledTimes(1);
      expect(loadAutosave(storage)?.ui.nodes['1'].x).toBe(49);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a missing or unreadable save as a first visit', () => {
    const storage = new MemoryStorage();
    expect(loadAutosave(storage)).toBeNull();
    storage.setItem('kinegraph.autosave.v1', '{not json');
    expect(loadAutosave(storage)).toBeNull();
  });
});
