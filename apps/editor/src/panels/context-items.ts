import type { Actions } from '../app-actions.js';
import type { EditorStore } from '../store/editor-store.js';
import { disconnect } from '../graph/node-ops.js';
import { insertReroute } from '../graph/reroute.js';
import type { MenuItem } from './context-menu.js';

/** What was right-clicked: a node, a link (by the input it feeds) or the empty canvas (at a flow point). */
export type MenuTarget =
  | { kind: 'node'; id: string }
  | { kind: 'edge'; target: string; input: string; at: { x: number; y: number } }
  | { kind: 'pane'; at: { x: number; y: number } };

export interface MenuDeps {
  store: EditorStore;
  actions: Actions;
  openSearch: (at: { x: number; y: number }) => void;
  selectedIds: () => string[];
}

/** The items of the right-click menu for a target (node actions apply to the selection, which includes it). */
export function contextItems(t: MenuTarget, { store, actions, openSearch, selectedIds }: MenuDeps): MenuItem[] {
  if (t.kind === 'node') {
    const ids = selectedIds().includes(t.id) ? selectedIds() : [t.id];
    const nodes = ids.filter((id) => store.doc.nodes[id]);
    const all = (mode: string) => nodes.length > 0 && nodes.every((id) => store.doc.nodes[id]!.mode === mode);
    return [
      {
        label: all('bypass') ? 'Un-bypass' : 'Bypass',
        shortcut: 'Ctrl+B',
        onClick: () => actions.toggleMode('bypass', nodes),
        disabled: nodes.length === 0,
      },
      {
        label: all('mute') ? 'Unmute' : 'Mute',
        shortcut: 'Ctrl+M',
        onClick: () => actions.toggleMode('mute', nodes),
        disabled: nodes.length === 0,
      },
      { label: 'Copy', shortcut: 'Ctrl+C', onClick: () => void actions.copy() },
      { label: 'Duplicate', shortcut: 'Ctrl+D', onClick: () => actions.duplicate() },
      { label: 'Group', onClick: () => actions.addGroup() },
      { label: 'Delete', shortcut: 'Del', onClick: () => actions.deleteSelection() },
    ];
  }
  if (t.kind === 'edge') {
    return [
      { label: 'Add reroute here', onClick: () => store.edit('Add reroute', (d) => void insertReroute(d, t.target, t.input, t.at)) },
      { label: 'Delete link', shortcut: 'Del', onClick: () => store.edit('Delete link', (d) => disconnect(d, t.target, t.input)) },
    ];
  }
  return [
    { label: 'Add node…', shortcut: 'Ctrl+K', onClick: () => openSearch(t.at) },
    { label: 'Add note', onClick: () => actions.addNote() },
    { label: 'Paste', shortcut: 'Ctrl+V', onClick: () => actions.paste(t.at) },
    { label: 'Select all', shortcut: 'Ctrl+A', onClick: () => actions.selectAll() },
    { label: 'Arrange', onClick: () => actions.arrange() },
  ];
}
