import { useSyncExternalStore } from 'react';
import type { UiOutput } from '../api/types.js';
import type { SweepDraft } from './sweep-values.js';

/** The sweep last queued from this tab, and its contact grid once every run has ended. */
export interface SubmittedSweep {
  runIds: string[];
  grid: boolean;
  /** queued/running: runs still going; grid: making the grid; done/failed: finished. */
  phase: 'running' | 'grid' | 'done' | 'failed';
  /** Runs that have ended, by status. */
  ended: Record<string, string>;
  gridOutputs?: UiOutput[];
  message?: string;
}

export interface SweepState {
  /** "nodeId.param" -> what to sweep it over, in the order they were added. */
  drafts: Record<string, SweepDraft>;
  zip: boolean;
  grid: boolean;
  last: SubmittedSweep | null;
  /** Files uploaded from this browser (newest first), offered when picking files for a for-each. */
  recent: string[];
}

const RECENT_KEY = 'kinegraph.recentUploads';
const readRecent = (): string[] => {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 50) : [];
  } catch {
    return [];
  }
};

export const sweepKey = (nodeId: string, param: string) => `${nodeId}.${param}`;

/** The tab's sweeps: a small external store (components subscribe to it like to the editor's stores). */
export class SweepStore {
  private state: SweepState = {
    drafts: {},
    zip: false,
    grid: false,
    last: null,
    recent: typeof localStorage === 'undefined' ? [] : readRecent(),
  };
  private listeners = new Set<() => void>();

  getState = (): SweepState => this.state;
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  };
  private set(patch: Partial<SweepState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  draft(nodeId: string, param: string): SweepDraft | undefined {
    return this.state.drafts[sweepKey(nodeId, param)];
  }
  put(d: SweepDraft): void {
    this.set({ drafts: { ...this.state.drafts, [sweepKey(d.nodeId, d.param)]: d } });
  }
  remove(nodeId: string, param: string): void {
    const { [sweepKey(nodeId, param)]: _gone, ...rest } = this.state.drafts;
    this.set({ drafts: rest });
  }
  clear(): void {
    this.set({ drafts: {}, zip: false });
  }
  setZip(zip: boolean): void {
    this.set({ zip });
  }
  setGrid(grid: boolean): void {
    this.set({ grid });
  }
  rememberUpload(name: string): void {
    const recent = [name, ...this.state.recent.filter((n) => n !== name)].slice(0, 50);
    try {
      localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
    } catch {
      /* kept for this tab only */
    }
    this.set({ recent });
  }
  submitted(runIds: string[], grid: boolean): void {
    this.set({ last: { runIds, grid, phase: 'running', ended: {} } });
  }
  updateLast(patch: Partial<SubmittedSweep>): void {
    if (this.state.last) this.set({ last: { ...this.state.last, ...patch } });
  }
}

/** One store per page: the editor has one document per tab. */
export const sweepStore = new SweepStore();

export function useSweep<T>(select: (s: SweepState) => T): T {
  return useSyncExternalStore(sweepStore.subscribe, () => select(sweepStore.getState()));
}
