/**
 * The moments a kill -9 lands, each named by a crash point of the runtime's test-only fault hook
 * (apps/runtime/src/server/store/fault-injection.ts): the process kills itself just before or after the n-th
 * durable JSON write whose path contains the given part, so every moment is hit exactly, run after run.
 */
export interface Scenario {
  name: string;
  /** KINEGRAPH_FAULT. */
  fault: string;
  /** Runs submitted (with the queue paused when `concurrent`, all at once). */
  runs: number;
  /** Submitted at once, queue paused (the crash then lands among the submissions). */
  concurrent?: boolean;
  /** What the crash leaves, for the table. */
  leaves: string;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'during 60 concurrent submissions',
    fault: 'crash-after-write:/runs/queue/#30',
    runs: 60,
    concurrent: true,
    leaves: 'killed as the 30th of 60 run files is written: more on disk than answered',
  },
  {
    name: 'mid-run (node states being saved)',
    fault: 'crash-after-write:/runs/queue/#9',
    runs: 4,
    leaves: 'a run marked running with some node states',
  },
  { name: 'mid-queue-save', fault: 'crash-before-write:/runs/queue.json#6', runs: 6, leaves: 'queue.json older than the run files' },
  {
    name: 'mid-cache-write',
    fault: 'crash-before-write:/entries/.tmp-#2',
    runs: 4,
    leaves: "a cache entry's files without its entry.json",
  },
  {
    name: 'mid-cache-index-save',
    fault: 'crash-before-write:/cache/index.json#2',
    runs: 4,
    leaves: 'cache entries the index does not list',
  },
  { name: 'mid-history-write', fault: 'crash-before-write:/runs/history/#2', runs: 4, leaves: 'a run that ended, not yet recorded' },
  {
    name: 'between history write and queue-file removal',
    fault: 'crash-after-write:/runs/history/#2',
    runs: 4,
    leaves: 'a run both recorded and still in the queue folder',
  },
];
