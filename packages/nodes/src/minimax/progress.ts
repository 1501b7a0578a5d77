import type { NodeContext } from '@kinegraph/graph-core';

/** Shares of the bar: the task on MiniMax's side is most of the wait; download and decode follow. */
export const STAGE = { submitted: 0.02, processing: 0.1, generated: 0.8, downloaded: 0.9, done: 1 } as const;
const STEPS = 1000;

/**
 * Progress in thousandths, sent only when it moves (a download reports every chunk). Like ctx.progress it
 * throws an AbortError once the run is interrupted, so every report is also a point where the work stops.
 */
export function progressReporter(ctx: NodeContext): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    const value = Math.max(last, Math.min(STEPS, Math.round(fraction * STEPS)));
    if (value === last) {
      ctx.throwIfAborted();
      return;
    }
    last = value;
    ctx.progress(value, STEPS);
  };
}

/** Where in [from, to) a wait of `elapsedMs` stands when such waits take about `typicalMs`: it nears `to`, never reaches it. */
export function waitShare(from: number, to: number, elapsedMs: number, typicalMs: number): number {
  return from + (to - from) * (1 - Math.exp(-elapsedMs / Math.max(1, typicalMs)));
}
