import { Worker } from 'node:worker_threads';
import { AbortError } from '@kinegraph/graph-core';
import type { ParallaxScene } from '../scene.js';
import { analyzePhoto, type AnalysisOptions, type StageTimer } from './analyze.js';

/** A worker kept between encodes (its start-up, loading the analysis code, costs more than a small photo's analysis). */
let shared: Worker | undefined;
let idle: NodeJS.Timeout | undefined;
let nextId = 1;
/** Off once a worker could not start or failed (no thread support, loader missing): the analysis runs here. */
let unavailable = false;
const IDLE_MS = 20_000;

/**
 * analyzePhoto on a worker thread: the analysis is a second or more of synchronous work at 720p and more, which
 * on the server's thread would keep it from answering HTTP and from taking an interrupt. Same code, same
 * bytes. An abort ends the worker at once. Falls back to the calling thread when workers cannot run.
 */
export async function analyzeOffThread(
  rgb: Uint8Array,
  w: number,
  h: number,
  time: StageTimer,
  o: Omit<AnalysisOptions, 'pause'>,
  signal: AbortSignal,
  pause: () => Promise<void>,
): Promise<ParallaxScene> {
  if (unavailable || process.env.KINEGRAPH_ANALYSIS_WORKER === '0') return analyzePhoto(rgb, w, h, time, { ...o, pause });
  if (signal.aborted) throw new AbortError();
  let worker: Worker;
  try {
    worker = shared ??= start();
  } catch {
    unavailable = true;
    return analyzePhoto(rgb, w, h, time, { ...o, pause });
  }
  clearTimeout(idle);
  // Held while it works (a script awaiting only the analysis must not exit), let go between jobs.
  worker.ref();
  const id = nextId++;
  try {
    return await new Promise<ParallaxScene>((resolve, reject) => {
      const onMessage = (m: { id?: number; scene?: ParallaxScene; timings?: Record<string, number>; error?: string }) => {
        if (m.id !== id) return;
        done();
        if (m.error) return reject(new Error(`The analysis worker failed: ${m.error}`));
        for (const [stage, ms] of Object.entries(m.timings ?? {})) time(stage, ms);
        resolve(m.scene!);
      };
      const onError = (err: unknown) => {
        done();
        reject(Object.assign(err instanceof Error ? err : new Error(String(err)), { workerDied: true }));
      };
      const onAbort = () => {
        done();
        stop(worker);
        reject(new AbortError());
      };
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        signal.removeEventListener('abort', onAbort);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ id, rgb, w, h, options: o });
    });
  } catch (err) {
    if (!(err as { workerDied?: boolean }).workerDied) throw err;
    // The worker itself could not run (start-up failed): the analysis runs here from now on.
    stop(worker);
    unavailable = true;
    return analyzePhoto(rgb, w, h, time, { ...o, pause });
  } finally {
    worker.unref();
    if (shared) {
      idle = setTimeout(() => shared && stop(shared), IDLE_MS);
      idle.unref();
    }
  }
}

function start(): Worker {
  const w = new Worker(new URL('./analysis-worker.mjs', import.meta.url));
  w.unref();
  // Errors are handled per job; a worker that dies between jobs is simply started again next time.
  w.on('error', () => stop(w));
  w.on('exit', () => {
    if (shared === w) shared = undefined;
  });
  return w;
}

function stop(w: Worker): void {
  if (shared === w) shared = undefined;
  void w.terminate();
}
