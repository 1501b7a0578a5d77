import type { Patch } from 'immer';

/** One undoable step: forward patches and their inverse, applied in order. */
export interface UndoEntry {
  label: string;
  patches: Patch[];
  inverse: Patch[];
}

/** Bounded undo/redo stacks of immer patches. */
export class UndoHistory {
  private past: UndoEntry[] = [];
  private future: UndoEntry[] = [];
  constructor(readonly limit = 200) {}

  push(entry: UndoEntry): void {
    if (entry.patches.length === 0) return;
    this.past.push(entry);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }
  takeUndo(): UndoEntry | undefined {
    const e = this.past.pop();
    if (e) this.future.push(e);
    return e;
  }
  takeRedo(): UndoEntry | undefined {
    const e = this.future.pop();
    if (e) this.past.push(e);
    return e;
  }
  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
  get size(): number {
    return this.past.length;
  }
  clear(): void {
    this.past = [];
    this.future = [];
  }
}
