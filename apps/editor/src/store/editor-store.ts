import { applyPatches, enablePatches, produce, produceWithPatches, type Draft, type Patch } from 'immer';
import type { Workflow } from '../api/types.js';
import { emptyWorkflow } from './empty-workflow.js';
import { UndoHistory } from './undo-history.js';

enablePatches();

/** The document and whether undo/redo can go on. Selection is the canvas's (React Flow's), never part of history. */
export interface EditorState {
  doc: Workflow;
  canUndo: boolean;
  canRedo: boolean;
}

type Listener = () => void;

/**
 * The workflow document and its undo history. Every edit goes through `edit` (one undo step) or a
 * transaction (`begin`/`commit`: a drag, a paste or a multi-delete is one step however many edits it makes).
 */
export class EditorStore {
  private state: EditorState;
  private listeners = new Set<Listener>();
  readonly history = new UndoHistory(200);
  private tx: { label: string; patches: Patch[]; inverse: Patch[][] } | null = null;

  constructor(doc: Workflow = emptyWorkflow()) {
    this.state = { doc, canUndo: false, canRedo: false };
  }

  getState = (): EditorState => this.state;
  get doc(): Workflow {
    return this.state.doc;
  }

  subscribe = (fn: Listener): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private set(next: Partial<EditorState>): void {
    this.state = { ...this.state, ...next, canUndo: this.history.canUndo, canRedo: this.history.canRedo };
    for (const fn of this.listeners) fn();
  }

  /** Applies a recipe to the document. Recorded as one undo step unless `record` is false or a transaction is open. */
  edit(label: string, recipe: (d: Draft<Workflow>) => void | Workflow, record = true): void {
    const [next, patches, inverse] = produceWithPatches(this.state.doc, recipe as (d: Draft<Workflow>) => void);
    if (patches.length === 0) return;
    if (this.tx) {
      this.tx.patches.push(...patches);
      this.tx.inverse.push(inverse);
    } else if (record) {
      this.history.push({ label, patches, inverse });
    }
    this.set({ doc: next });
  }

  begin(label: string): void {
    if (!this.tx) this.tx = { label, patches: [], inverse: [] };
  }
  commit(): void {
    const tx = this.tx;
    this.tx = null;
    if (!tx || tx.patches.length === 0) return;
    this.history.push({ label: tx.label, patches: tx.patches, inverse: tx.inverse.reverse().flat() });
    this.set({});
  }
  /** Runs `fn` as one undo step. */
  transaction(label: string, fn: () => void): void {
    const outer = this.tx !== null;
    this.begin(label);
    try {
      fn();
    } finally {
      if (!outer) this.commit();
    }
  }

  undo(): void {
    if (this.tx) this.commit();
    const e = this.history.takeUndo();
    if (e) this.set({ doc: applyPatches(this.state.doc, e.inverse) });
  }
  redo(): void {
    if (this.tx) this.commit();
    const e = this.history.takeRedo();
    if (e) this.set({ doc: applyPatches(this.state.doc, e.patches) });
  }

  /** Replaces the whole document (open a file, load a run); undoable like any other edit. */
  load(doc: Workflow, label = 'Load workflow'): void {
    this.edit(label, () => structuredClone(doc));
  }

  /** Where the view is: saved with the document, but never an undo step. */
  setViewport(v: { x: number; y: number; zoom: number }): void {
    const next = produce(this.state.doc, (d) => {
      d.ui.viewport = { x: Math.round(v.x), y: Math.round(v.y), zoom: Math.round(v.zoom * 1000) / 1000 };
    });
    if (next !== this.state.doc) this.set({ doc: next });
  }
}
