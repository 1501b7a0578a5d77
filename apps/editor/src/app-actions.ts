import type { CanvasApi } from './canvas/canvas-api.js';
import type { SchemaMap } from './graph/compat.js';
import type { EditorStore } from './store/editor-store.js';
import type { RunStore } from './store/run-store.js';
import { documentActions } from './actions/document-actions.js';
import { editActions } from './actions/edit-actions.js';
import { fileActions } from './actions/file-actions.js';
import { runActions } from './actions/run-actions.js';

export { loaderFor } from './actions/file-actions.js';

export type Toast = (text: string, kind?: 'error' | 'info') => void;

export interface ActionDeps {
  store: EditorStore;
  runs: RunStore;
  schemas: SchemaMap;
  canvas: { current: CanvasApi | null };
  toast: Toast;
  clientId: string;
}

/**
 * Everything the toolbar, shortcuts and drops do (components only call these), put together from one
 * factory per concern: the document, runs, files, and editing the graph.
 */
export function createActions(deps: ActionDeps) {
  const documents = documentActions(deps);
  return { ...documents, ...runActions(deps), ...fileActions(deps, documents), ...editActions(deps) };
}

export type Actions = ReturnType<typeof createActions>;
