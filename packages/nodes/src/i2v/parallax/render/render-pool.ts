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

/**
 * Renders frames on worker threads, so the frames ahead are drawn while ffmpeg encodes the ones before
 * (on a 2-core machine the main thread would otherwise render one frame at a time between encoder turns).
 * Each worker holds its own copy of the scene. Workers never keep the process alive and stop after
 * `idleMs` without work. Output is byte-identical to rendering on the main thread.
 */
export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Array<{ job: Job; pose: CameraPose; t: number; format: FrameFormat }> = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private failed: Error | undefined;

  constructor(
    scene: ParallaxScene,
    background: Uint8Array,
    ambient: AmbientParams,
    seed: number,
    size = RenderPool.defaultSize((scene.width + 2 * scene.pad) * (scene.height + 2 * scene.pad)),
    private readonly idleMs = 5000,
    options: RenderOptions = {},
  ) {
    const workerData = { scene, background, ambient, seed, options };
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./render-worker.mjs', import.meta.url), { workerData });
      w.unref();
      w.on('message', (m: { ready?: boolean; index?: number; out?: Uint8Array; error?: string }) => {
        if (m.ready) return this.pump();
        const job = this.busy.get(w);
        this.busy.delete(w);
        if (job) {
          if (m.error) job.reject(new Error(`A render worker failed: ${m.error}`));
          else job.resolve(new Uint8Array(m.out!.buffer, m.out!.byteOffset, m.out!.byteLength));
        }
        this.pump(w);
      });
      w.on('error', (err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))));
      this.workers.push(w);
    }
  }

  /**
   * Workers for a scene of `pixels` (padded background): none on two cores or fewer (there the main thread
   * renders while ffmpeg's threads take the other core, and workers would only add their start-up and copies),
   * fewer for huge frames (each worker holds a copy of the scene).
   */
  static defaultSize(pixels = 0): number {
    const env = process.env.KINEGRAPH_RENDER_WORKERS;
    if (env !== undefined && env !== '') return Math.max(0, Math.min(16, Number(env) || 0));
    const cores = availableParallelism();
    if (cores <= 2) return 0;
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

  close(): void {
    clearTimeout(this.idleTimer);
    for (const w of this.workers) void w.terminate();
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
    const free = ready && !this.busy.has(ready) ? [ready] : this.workers.filter((w) => !this.busy.has(w));
    for (const w of free) {
      const next = this.queue.shift();
      if (!next) break;
      this.busy.set(w, next.job);
      w.postMessage({ index: next.job.index, pose: next.pose, t: next.t, format: next.format });
    }
    if (this.queue.length === 0 && this.busy.size === 0) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.close(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const { job } of this.queue.splice(0)) job.reject(err);
    for (const job of this.busy.values()) job.reject(err);
    this.busy.clear();
    this.close();
  }
}
