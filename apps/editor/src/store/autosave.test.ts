import { describe, expect, it, vi } from 'vitest';
import { sampleWorkflow } from '../test-fixtures.js';
import { claimSlot, listSlots, SLOT_PREFIX, startAutosave } from './autosave.js';
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

const tab = (local: Storage) => ({ local, session: new MemoryStorage() });

describe('autosave', () => {
  it('writes the document once after a burst of edits, and reads it back in the same tab', () => {
    vi.useFakeTimers();
    try {
      const local = new MemoryStorage();
      const a = tab(local);
      const { slot, doc } = claimSlot(new Set(), a);
      expect(doc).toBeNull();
      const setItem = vi.spyOn(local, 'setItem');
      const store = new EditorStore(sampleWorkflow());
      const stop = startAutosave(store, slot, local, 400);
      for (let i = 0; i < 50; i++) store.edit('drag', (d) => void (d.ui.nodes['1'].x = i));
      expect(setItem).not.toHaveBeenCalled();
      vi.advanceTimersByTime(500);
      expect(setItem).toHaveBeenCalledTimes(1);
      stop();
      // A reload of that tab (same session storage) finds its own slot.
      expect(claimSlot(new Set(), a)).toMatchObject({ slot });
      expect(claimSlot(new Set(), a).doc?.ui.nodes['1'].x).toBe(49);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives two open tabs two slots: neither overwrites the other', () => {
    const local = new MemoryStorage();
    const a = claimSlot(new Set(), tab(local));
    const sa = new EditorStore(sampleWorkflow());
    const stopA = startAutosave(sa, a.slot, local, 1000);
    sa.edit('move', (d) => void (d.ui.nodes['1'].x = 111));
    stopA();
    // A second tab while the first holds its slot: it starts from a copy in a new slot.
    const b = claimSlot(new Set([a.slot]), tab(local));
    expect(b.slot).not.toBe(a.slot);
    expect(b.doc?.ui.nodes['1'].x).toBe(111);
    const sb = new EditorStore(b.doc!);
    const stopB = startAutosave(sb, b.slot, local, 1000);
    sb.edit('move', (d) => void (d.ui.nodes['1'].x = 222));
    stopB();
    const saved = (slot: string) =>
      (JSON.parse(local.getItem(SLOT_PREFIX + slot)!) as { doc: ReturnType<typeof sampleWorkflow> }).doc.ui.nodes['1'].x;
    expect(saved(a.slot)).toBe(111);
    expect(saved(b.slot)).toBe(222);
    expect(listSlots(local)).toHaveLength(2);
  });

  it('a fresh tab takes over the latest slot no open tab holds; a duplicated tab moves to a new slot', () => {
    const local = new MemoryStorage();
    local.setItem(SLOT_PREFIX + 'old', JSON.stringify({ savedAt: 1, doc: sampleWorkflow() }));
    const latest = sampleWorkflow();
    latest.ui.nodes['1'].x = 5;
    local.setItem(SLOT_PREFIX + 'new', JSON.stringify({ savedAt: 2, doc: latest }));
    expect(claimSlot(new Set(), tab(local))).toMatchObject({ slot: 'new' });
    expect(claimSlot(new Set(['new']), tab(local))).toMatchObject({ slot: 'old' });
    const dup = tab(local);
    dup.session.setItem('kinegraph.slot', 'new');
    const moved = claimSlot(new Set(['new']), dup);
    expect(moved.slot).not.toBe('new');
    expect(moved.doc?.ui.nodes['1'].x).toBe(5);
  });

  it('treats a missing or unreadable save as a first visit, and takes over the old single slot once', () => {
    const local = new MemoryStorage();
    expect(claimSlot(new Set(), tab(local)).doc).toBeNull();
    local.setItem(SLOT_PREFIX + 'bad', '{not json');
    expect(claimSlot(new Set(), tab(local)).doc).toBeNull();
    local.setItem('kinegraph.autosave.v1', JSON.stringify(sampleWorkflow()));
    expect(claimSlot(new Set(), tab(local)).doc?.nodes['1']).toBeDefined();
    expect(local.getItem('kinegraph.autosave.v1')).toBeNull();
  });
});
