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
    let copied = false;
    let pasteFallback: ReturnType<typeof setTimeout> | undefined;
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
      // Copy and paste go through the browser's clipboard events (so a workflow's JSON copied elsewhere can be
      // pasted, and a copied clip reaches the system clipboard); the key only arms them.
      if (mod && key === 'c') {
        copied = actions.copy();
        return;
      }
      if (mod && key === 'v') {
        // Should the browser send no paste event, the editor's own clipboard is pasted.
        clearTimeout(pasteFallback);
        pasteFallback = setTimeout(() => ref.current.actions.paste(), 0);
        return;
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
    const onCopy = (e: ClipboardEvent) => {
      const text = copied && !isTyping(e.target) ? ref.current.actions.clipText() : null;
      copied = false;
      if (!text || !e.clipboardData) return;
      e.clipboardData.setData('text/plain', text);
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      clearTimeout(pasteFallback);
      if (isTyping(e.target)) return;
      e.preventDefault();
      const { actions } = ref.current;
      if (!actions.pasteText(e.clipboardData?.getData('text/plain') ?? '')) actions.paste();
    };
    addEventListener('keydown', onKey);
    addEventListener('copy', onCopy);
    addEventListener('paste', onPaste);
    return () => {
      removeEventListener('keydown', onKey);
      removeEventListener('copy', onCopy);
      removeEventListener('paste', onPaste);
      clearTimeout(pasteFallback);
    };
  }, []);
}
