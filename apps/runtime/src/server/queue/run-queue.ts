import type { EngineEvent } from '@kinegraph/graph-core';
import type { QueueState, RunRecord } from '../../protocol/index.js';

/**
 * Where accepted runs wait and who runs them. The server's RunService speaks only to this: `LocalRunQueue`
 * (the default) keeps the queue in the data folder and runs it in this process; `RedisRunQueue`
 * (`serve --queue redis://...`) keeps it in Redis through BullMQ, and `kinegraph worker` processes run it.
 * Either way history is the server's, in its data folder.
 */
export interface RunQueue {
  /** Starts the work: runs left queued by an earlier process start (unless paused); Redis is reached. */
  start(): Promise<void>;
  /** Throws QueueFullError when `n` more runs would take the queue past `max`. */
  checkRoom(n: number, max: number): void;
  /**
   * Durably queues the runs before they count as accepted (all or nothing); `front`: ahead of the other queued
   * runs. Resolves to each run's position: how many runs are ahead of it (the running ones included), taken
   * before any of them starts.
   */
  enqueue(records: RunRecord[], max: number, front: boolean): Promise<number[]>;
  /** Removes a queued run, recording it as cancelled. False when it is not queued. */
  cancelQueued(runId: string): Promise<boolean>;
  /** Interrupts a running run (`runId`, or the first running one). Returns its id, or null when none runs. */
  interrupt(runId?: string): string | null;
  setPaused(paused: boolean): Promise<void>;
  queueState(): QueueState;
  /** A queued or running run's record; undefined when the queue does not hold it (history may). */
  get(runId: string): Promise<RunRecord | undefined>;
  /** Stops taking runs, interrupts (local) or leaves to the workers (Redis) what runs, and waits until recorded. */
  stop(): Promise<void>;
}

/** What a queue tells the server: engine events (for live state and the WebSocket) and queue changes. */
export interface RunQueueListener {
  onEvent: (e: EngineEvent) => void;
  onQueueChange: () => void;
  log?: (msg: string) => void;
}
