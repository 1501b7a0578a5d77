import { useEffect, useRef } from 'react';
import type { Actions } from '../app-actions.js';
import type { EditorStore } from '../store/editor-store.js';
import { pickFile } from '../files/workflow-files.js';

interface ShortcutDeps {
  store: EditorStore;
  actions: Actions;
  openSearch: () => void;
  run: (front: boolean) => void;
  searchOpen: boolean;
  toggleSheet: () => void;
}

/** True while the user types in a field: then the field's own keys (undo, delete, copy) win. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** The editor's keyboard (the full list: shortcut-sheet.tsx): run, search, undo/redo, copy/paste/duplicate, Delete, Ctrl+S/O, select all, bypass, mute. */
export function useShortcuts(deps: ShortcutDeps): void {
  const ref = useRef(deps);
  ref.current = deps;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { store, actions, openSearch, run, searchOpen, toggleSheet } = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'enter') {
        e.preventDefault();
        if (document.activeElement instanceof HTMLElement && isTyping(document.activeElement)) document.activeElement.blur();
        return run(e.shiftKey);
      }
      if (searchOpen) return;
      if (mod && key === 'k') {
        e.preventDefault();
        return openSearch();
      }
      if (mod && key === 's') {
        e.preventDefault();
        return actions.save();
      }
      if (mod && key === 'o') {
        e.preventDefault();
        void pickFile().then((f) => f && actions.openFile(f));
        return;
      }
      if (isTyping(e.target)) return;
      if (e.key === '?') {
        e.preventDefault();
        return toggleSheet();
      }
      if (mod && key === 'a') {
        // The nodes, not the page's text.
        e.preventDefault();
        return actions.selectAll();
      }
      if (mod && (key === 'b' || key === 'm')) {
        e.preventDefault();
        return actions.toggleMode(key === 'b' ? 'bypass' : 'mute');
      }
      if (mod && key === 'z') {
        e.preventDefault();
        return e.shiftKey ? store.redo() : store.undo();
      }
      if (mod && key === 'y') {
        e.preventDefault();
        return store.redo();
      }
      if (mod && key === 'c') {
        if (actions.copy()) e.preventDefault();
        return;
      }
      if (mod && key === 'v') {
        e.preventDefault();
        return actions.paste();
      }
      if (mod && key === 'd') {
        e.preventDefault();
        return actions.duplicate();
      }
      if (key === 'delete' || key === 'backspace') {
        e.preventDefault();
        return actions.deleteSelection();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
}
