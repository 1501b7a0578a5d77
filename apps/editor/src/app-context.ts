import { createContext, useContext, useSyncExternalStore, useCallback, useRef } from 'react';
import type { ModelInfo, NodeSchema } from './api/types.js';
import type { SchemaMap } from './graph/compat.js';
import type { EditorState, EditorStore } from './store/editor-store.js';
import type { NodeRunState, RunGlobal, RunStore } from './store/run-store.js';

export interface AppServices {
  store: EditorStore;
  runs: RunStore;
  schemas: SchemaMap;
  schemaList: NodeSchema[];
  models: ModelInfo[];
  /** Opens the node search at a flow position (optionally filtered to types that fit a dragged link). */
  openSearch: (opts?: SearchRequest) => void;
  toast: (text: string, kind?: 'error' | 'info') => void;
  uploadFile: (file: File, kind: 'image' | 'audio') => Promise<string>;
  /** Bypass or mute nodes (see Actions.toggleMode). */
  toggleMode: (mode: 'bypass' | 'mute', ids?: string[]) => void;
}

export interface SearchRequest {
  at?: { x: number; y: number };
  from?: { nodeId: string; handle: string; handleType: 'source' | 'target'; type: string };
  /** Replace this (placeholder) node with the chosen type, keeping matching params and links. */
  replace?: string;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const v = useContext(AppContext);
  if (!v) throw new Error('AppContext missing');
  return v;
}

/** Subscribes to one slice of the editor state; re-renders only when that slice changes identity. */
export function useEditor<T>(select: (s: EditorState) => T): T {
  const { store } = useApp();
  const sel = useRef(select);
  sel.current = select;
  return useSyncExternalStore(store.subscribe, () => sel.current(store.getState()));
}

export function useNodeRun(id: string): NodeRunState {
  const { runs } = useApp();
  const subscribe = useCallback((fn: () => void) => runs.subscribeNode(id, fn), [runs, id]);
  return useSyncExternalStore(subscribe, () => runs.node(id));
}

export function useRunGlobal(): RunGlobal {
  const { runs } = useApp();
  return useSyncExternalStore(runs.subscribeGlobal, runs.getGlobal);
}
