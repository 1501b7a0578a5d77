import type { RunStore } from './run-store.js';

/** The runs this tab queued, kept in its session storage so a reload still follows them (and no other tab's). */
const KEY = 'kinegraph.ownRuns';
const KEEP = 100;

function read(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function ownRunsOfThisTab(runs: RunStore): RunStore {
  runs.own(read());
  return runs;
}

export function rememberOwnRuns(runs: RunStore, ids: string[]): void {
  runs.own(ids);
  try {
    sessionStorage.setItem(KEY, JSON.stringify(runs.ownedRuns().slice(-KEEP)));
  } catch {
    // no room: this page still follows them
  }
}
