import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CameraPose } from '../../../values/camera.js';
import type { AmbientParams } from '../motion/motion-params.js';
import type { ParallaxScene } from '../scene.js';
import type { RenderOptions } from './renderer.js';

/** RGB bytes, or I420 planes (see ParallaxRenderer.renderI420). */
export type FrameFormat = 'rgb' | 'i420';

interface Job {
  index: number;
  resolve: (frame: Uint8Array) => void;
  reject: (err: Error) => void;
}

/** The scene's large planes travel one per message (each a turn of the event loop), not all at once. */
type Planes = Array<[key: string, data: ArrayBufferView]>;

/**
 * Workers kept after their pool closes, for the next clip: starting one (tsx's loader, the renderer's
 * modules, their compiled code) costs about half a second of CPU, as much as rendering 30 frames.
 */
const parked: Array<{ worker: Worker; timer: NodeJS.Timeout }> = [];
const KEEP_MS = 20_000;

function takeWorker(): Worker {
  const kept = parked.pop();
  if (kept) {
    clearTimeout(kept.timer);
    return kept.worker;
  }
  const w = new Worker(new URL('./render-worker.mjs', import.meta.url));
  w.unref();
  // A parked worker that fails or exits is simply dropped.
  const drop = () => {
    const k = parked.findIndex((p) => p.worker === w);
    if (k >= 0) clearTimeout(parked.splice(k, 1)[0].timer);
  };
  w.on('error', drop);
  w.on('exit', drop);
  return w;
}

function park(w: Worker): void {
  // The worker lets go of the scene now (tens of MB), and stops if no clip wants it in KEEP_MS.
  w.postMessage({ release: true });
  const timer = setTimeout(() => {
    const k = parked.findIndex((p) => p.worker === w);
    if (k >= 0) parked.splice(k, 1);
    void w.terminate();
  }, KEEP_MS);
  timer.unref();
  parked.push({ worker: w, timer });
}

/**
 * Renders frames on worker threads, so the frames ahead are drawn while ffmpeg encodes the ones before,
 * and the main thread (where a server answers) never spends a frame's tens of milliseconds drawing.
 * Each worker holds its own copy of the scene. Workers never keep the process alive and stop after
 * `idleMs` without work. Output is byte-identical to rendering on the main thread.
 */
export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Array<{ job: Job; pose: CameraPose; t: number; format: FrameFormat }> = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private failed: Error | undefined;
  /** Jobs wait until every worker has been sent the whole scene (messages keep their order). */
  private sent = false;
  /** Frame buffers the caller is done with, by size: sent back to a worker to draw the next frame into. */
  private readonly spare = new Map<number, ArrayBuffer[]>();
  private readonly width: number;
  private readonly height: number;
  /** Removes this pool's listeners from a worker (before it is parked for another pool). */
  private readonly detach = new Map<Worker, () => void>();

  constructor(
    scene: ParallaxScene,
    background: Uint8Array,
    ambient: AmbientParams,
    seed: number,
    size = RenderPool.defaultSize((scene.width + 2 * scene.pad) * (scene.height + 2 * scene.pad)),
    private readonly idleMs = 5000,
    options: RenderOptions = {},
  ) {
    // Cloning ~18 MB of planes at once (720p) blocks the event loop for 25-55 ms on a loaded 2-core machine:
    // workerData carries the small fields, each plane follows in its own message a turn later.
    const planes: Planes = [];
    const small: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(scene)) {
      if (ArrayBuffer.isView(value) && value.byteLength > 65536) planes.push([key, value]);
      else small[key] = value;
    }
    if (background !== scene.background) planes.push(['$background', background]);
    const setup = { scene: small, planes: planes.length, ambient, seed, options };
    this.width = scene.width;
    this.height = scene.height;
    for (let i = 0; i < size; i++) {
      const w = takeWorker();
      const onMessage = (m: { ready?: boolean; index?: number; out?: Uint8Array; error?: string }) => {
        if (m.ready) return this.pump();
        const job = this.busy.get(w);
        this.busy.delete(w);
        if (job) {
          if (m.error) job.reject(new Error(`A render worker failed: ${m.error}`));
          else job.resolve(new Uint8Array(m.out!.buffer, m.out!.byteOffset, m.out!.byteLength));
        }
        this.pump(w);
      };
      const onError = (err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err)));
      w.on('message', onMessage);
      w.on('error', onError);
      this.detach.set(w, () => {
        w.off('message', onMessage);
        w.off('error', onError);
      });
      w.postMessage({ setup });
      this.workers.push(w);
    }
    void this.sendPlanes(planes);
  }

  private async sendPlanes(planes: Planes): Promise<void> {
    for (const [key, data] of planes) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.closed) return;
      for (const w of this.workers) w.postMessage({ plane: key, data });
    }
    this.sent = true;
    this.pump();
  }

  /**
   * Workers for a scene of `pixels` (padded background): one on two cores or fewer (the main thread then only
   * passes frames on, so a server there keeps answering: rendering a 720p frame on it stalled the event loop
   * by up to 136-230 ms under load; the speed is the same, measured in docs/parallax-v2.md), more on larger
   * machines, fewer for huge frames (each worker holds a copy of the scene).
   */
  static defaultSize(pixels = 0): number {
    const env = process.env.KINEGRAPH_RENDER_WORKERS;
    if (env !== undefined && env !== '') return Math.max(0, Math.min(16, Number(env) || 0));
    const cores = availableParallelism();
    if (cores <= 2) return 1;
    const byMemory = pixels > 12e6 ? 1 : 4;
    return Math.max(1, Math.min(byMemory, cores - 1));
  }

  render(index: number, pose: CameraPose, t: number, format: FrameFormat = 'rgb'): Promise<Uint8Array> {
    if (this.failed) return Promise.reject(this.failed);
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { index, resolve, reject }, pose, t, format });
      this.pump();
    });
  }

  /**
   * A frame the caller is done with: the next job of its size draws into it, so a steady clip allocates no
   * frame buffers (each new one is external memory that brings a full GC of the main thread sooner).
   */
  recycle(frame: Uint8Array): void {
    const buf = frame.buffer;
    if (!(buf instanceof ArrayBuffer) || frame.byteOffset !== 0 || frame.byteLength !== buf.byteLength) return;
    const list = this.spare.get(buf.byteLength) ?? [];
    if (list.length < 4 && !list.includes(buf)) list.push(buf);
    this.spare.set(buf.byteLength, list);
  }

  close(): void {
    this.release(true);
  }

  /** Ends the pool: idle workers are parked for the next clip (unless `keep` is false), busy ones stopped. */
  private release(keep: boolean): void {
    clearTimeout(this.idleTimer);
    for (const w of this.workers) {
      this.detach.get(w)?.();
      // A busy worker's answer would reach the next pool: it is stopped instead.
      if (keep && !this.busy.has(w)) park(w);
      else void w.terminate();
    }
    this.detach.clear();
    this.workers.length = 0;
    const err = new Error('The render pool was closed');
    for (const { job } of this.queue.splice(0)) job.reject(err);
    for (const job of this.busy.values()) job.reject(err);
    this.busy.clear();
  }

  get closed(): boolean {
    return this.workers.length === 0;
  }

  private pump(ready?: Worker): void {
    if (!this.sent) return;
    const free = ready && !this.busy.has(ready) ? [ready] : this.workers.filter((w) => !this.busy.has(w));
    for (const w of free) {
      const next = this.queue.shift();
      if (!next) break;
      this.busy.set(w, next.job);
      const into = this.spare.get(this.frameBytes(next.format))?.pop();
      const m = { index: next.job.index, pose: next.pose, t: next.t, format: next.format, into };
      w.postMessage(m, into ? [into] : []);
    }
    if (this.queue.length === 0 && this.busy.size === 0) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.close(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private frameBytes(format: FrameFormat): number {
    return format === 'i420' ? (this.width * this.height * 3) / 2 : this.width * this.height * 3;
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const { job } of this.queue.splice(0)) job.reject(err);
    for (const job of this.busy.values()) job.reject(err);
    this.busy.clear();
    this.release(false);
  }
}
