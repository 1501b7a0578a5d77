import { arrangedPositions, type Arranged } from './arranged.js';
import type { Box, Link, Point } from './layout.js';
import type { CanvasBoxes } from './measured-boxes.js';

export interface ArrangeJob {
  id: number;
  boxes: CanvasBoxes;
  links: Link[];
  scope?: string[];
}
export interface ArrangeReply {
  id: number;
  moves: [string, Point][];
  groups: Box[];
}

let worker: Worker | null | undefined;
let seq = 0;
const waiting = new Map<number, { job: ArrangeJob; resolve: (a: Arranged) => void }>();

const here = (job: ArrangeJob): Arranged => arrangedPositions(job.boxes, job.links, job.scope && new Set(job.scope));

function start(): Worker | null {
  try {
    const w = new Worker(new URL('./arrange-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<ArrangeReply>) => {
      const job = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      job?.resolve({ moves: new Map(e.data.moves), groups: e.data.groups });
    };
    // A worker that cannot start (or fails) leaves the work to the page: the layout is the same.
    w.onerror = () => {
      worker = null;
      for (const { job, resolve } of waiting.values()) resolve(here(job));
      waiting.clear();
    };
    return w;
  } catch {
    return null;
  }
}

/** Arrange's positions computed in a worker (the page stays responsive), or here when there is no worker. */
export function arrangeOffThread(boxes: CanvasBoxes, links: Link[], scope?: ReadonlySet<string>): Promise<Arranged> {
  const job: ArrangeJob = { id: ++seq, boxes, links, ...(scope ? { scope: [...scope] } : {}) };
  if (worker === undefined) worker = start();
  if (!worker) return Promise.resolve(here(job));
  return new Promise((resolve) => {
    waiting.set(job.id, { job, resolve });
    worker!.postMessage(job);
  });
}
