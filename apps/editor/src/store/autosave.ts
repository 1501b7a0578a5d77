import type { Workflow } from '../api/types.js';
import type { EditorStore } from './editor-store.js';
import { normalizeWorkflow } from './empty-workflow.js';

const KEY = 'kinegraph.autosave.v1';

/** The workspace as it was when the tab last changed it, or null on a first visit (or an unreadable save). */
export function loadAutosave(storage: Storage = localStorage): Workflow | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    return normalizeWorkflow(JSON.parse(raw));
  } catch {
    return null;
  }
}

/** Writes the document a moment after each change (debounced: a drag is one write, not hundreds). */
export function startAutosave(store: EditorStore, storage: Storage = localStorage, delayMs = 400): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = store.doc;
  const flush = () => {
    timer = undefined;
    try {
      storage.setItem(KEY, JSON.stringify(store.doc));
    } catch {
      // Quota exceeded: the workspace still works, it just will not survive a reload.
    }
  };
  const unsubscribe = store.subscribe(() => {
    if (store.doc === last) return;
    last = store.doc;
    clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  const onHide = () => timer && (clearTimeout(timer), flush());
  // Closing the tab flushes a pending write (the optional call keeps this usable outside a browser).
  globalThis.addEventListener?.('pagehide', onHide);
  return () => {
    unsubscribe();
    globalThis.removeEventListener?.('pagehide', onHide);
    onHide();
  };
}

export function clearAutosave(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}
