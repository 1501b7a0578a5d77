import type { Actions } from '../app-actions.js';
import { useEditor, useApp } from '../app-context.js';
import { pickFile } from '../files/workflow-files.js';
import { useState } from 'react';
import { RunProgress } from './run-progress.js';
import { RunLabel } from '../sweep/sweep-run-options.js';

interface ToolbarProps {
  actions: Actions;
  /** Queues the workflow with the batch count (which then goes back to 1). */
  run: () => void;
  batch: number;
  setBatch: (n: number) => void;
  snap: boolean;
  setSnap: (v: boolean) => void;
  fitView: () => void;
  openSearch: () => void;
  openTemplates: () => void;
  openShortcuts: () => void;
}

export function Toolbar({ actions, run, batch, setBatch, snap, setSnap, fitView, openSearch, openTemplates, openShortcuts }: ToolbarProps) {
  const { store } = useApp();
  const canUndo = useEditor((s) => s.canUndo);
  const canRedo = useEditor((s) => s.canRedo);
  const name = useEditor((s) => s.doc.meta?.name);
  return (
    <header className="kg-toolbar">
      <span className="kg-brand">Kinegraph</span>
      <DocName
        name={name}
        onRename={(n) => store.edit('Rename workflow', (d) => void (d.meta = { ...(d.meta ?? {}), name: n || undefined }))}
      />
      <div className="kg-toolbar-group">
        <button className="kg-btn" onClick={openSearch} title="Add a node (Ctrl+K, or double-click the canvas)">
          + Node
        </button>
        <button className="kg-btn" onClick={() => actions.addGroup()} title="Group the selected nodes">
          Group
        </button>
        <button className="kg-btn" onClick={() => actions.addNote()} title="Add a note">
          Note
        </button>
      </div>
      <div className="kg-toolbar-group">
        <button className="kg-btn" disabled={!canUndo} onClick={() => store.undo()} title="Undo (Ctrl+Z)" aria-label="Undo">
          ↶
        </button>
        <button className="kg-btn" disabled={!canRedo} onClick={() => store.redo()} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
          ↷
        </button>
      </div>
      <div className="kg-toolbar-group">
        <button className="kg-btn" onClick={() => actions.newWorkflow()} title="Start from an empty canvas (undoable)">
          New
        </button>
        <button className="kg-btn" onClick={() => actions.save()} title="Save the workflow as JSON (Ctrl+S)">
          Save
        </button>
        <button
          className="kg-btn"
          onClick={() => void pickFile().then((f) => f && actions.openFile(f))}
          title="Open a workflow JSON, or an MP4/PNG made by Kinegraph (Ctrl+O)"
        >
          Open
        </button>
        <button className="kg-btn" onClick={openTemplates} title="Open one of the workflows the runtime ships">
          Templates
        </button>
      </div>
      <div className="kg-toolbar-group">
        <button className="kg-btn" onClick={fitView} title="Fit the graph in view">
          Fit
        </button>
        <button
          className="kg-btn"
          onClick={() => actions.arrange()}
          title="Lay the graph out in columns, from the nodes' real sizes (undoable)"
        >
          Arrange
        </button>
        <label className="kg-check" title="Snap nodes to a 20px grid">
          <input type="checkbox" checked={snap} onChange={(e) => setSnap(e.target.checked)} /> Snap
        </label>
      </div>
      <div className="kg-spacer" />
      <RunProgress />
      <label className="kg-batch" title="How many runs to queue (each adds its index to the seeds)">
        Batch
        <input
          type="number"
          min={1}
          max={100}
          value={batch}
          aria-label="Batch count"
          onChange={(e) => setBatch(Math.max(1, Math.min(100, Number(e.target.value) || 1)))}
        />
      </label>
      <button
        className="kg-btn primary"
        data-testid="run"
        onClick={run}
        title="Queue the workflow (Ctrl+Enter; Ctrl+Shift+Enter: ahead of the queue)"
      >
        <RunLabel batch={batch} />
      </button>
      <button className="kg-btn" onClick={() => void actions.interrupt()} title="Stop the running workflow">
        ■ Stop
      </button>
      <button className="kg-btn" onClick={openShortcuts} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
    </header>
  );
}

/** The workflow's name (used for the saved file's name); double-click to rename. */
function DocName({ name, onRename }: { name?: string; onRename: (name: string) => void }) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <input
        className="kg-doc-name-input"
        autoFocus
        aria-label="Workflow name"
        defaultValue={name ?? ''}
        onBlur={(e) => {
          setEditing(false);
          if (e.target.value.trim() !== (name ?? '')) onRename(e.target.value.trim());
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') setEditing(false);
        }}
      />
    );
  }
  return (
    <span className="kg-doc-name editable" title="Workflow name (double-click to rename)" onDoubleClick={() => setEditing(true)}>
      {name ?? 'untitled'}
    </span>
  );
}
