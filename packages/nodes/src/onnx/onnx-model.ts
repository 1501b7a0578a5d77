import type { Logger } from '@kinegraph/graph-core';
import type * as ort from 'onnxruntime-node';
import type { ProviderChoice } from './execution-provider.js';
import type { ComponentName, Manifest } from './manifest.js';
import type { ModelFolder } from './model-folder.js';
import { componentInterfaces, openComponent, type ComponentSession } from './sessions.js';

export interface CallStats {
  calls: number;
  ms: number;
}

/**
 * One ONNX model folder and its sessions. Sessions open on first use (load() opens and checks them all,
 * so a broken folder fails at LoadModel), close after `idleMs` without use, and reopen when needed.
 */
export class OnnxModel {
  readonly manifest: Manifest;
  readonly stats: Partial<Record<ComponentName, CallStats>> = {};
  private sessions = new Map<ComponentName, Promise<ComponentSession>>();
  private idleTimer: NodeJS.Timeout | undefined;
  private busy = 0;
  /** Batch cond and uncond into one denoiser call where the model allows it (the bench turns it off to compare). */
  batchCfg = true;

  constructor(
    readonly folder: ModelFolder,
    private readonly options: { provider: ProviderChoice; log?: Logger; idleMs: number },
  ) {
    this.manifest = folder.manifest;
  }

  /** Opens every component the manifest names and checks each against it. */
  async load(): Promise<void> {
    const names = Object.keys(componentInterfaces(this.manifest)) as ComponentName[];
    await Promise.all(names.map((n) => this.component(n)));
    const providers = new Set(await Promise.all(names.map(async (n) => (await this.component(n)).provider)));
    this.options.log?.info(`onnx: loaded ${this.folder.id}`, { providers: [...providers] });
    this.armIdleTimer();
  }

  component(name: ComponentName): Promise<ComponentSession> {
    let pending = this.sessions.get(name);
    if (!pending) {
      const spec = this.manifest.components[name];
      const expected = componentInterfaces(this.manifest)[name];
      if (!spec || !expected) throw new Error(`${this.folder.id} has no ${name} component`);
      pending = openComponent(this.folder.dir, name, spec.file, expected, this.manifest, this.options.provider, this.options.log);
      this.sessions.set(name, pending);
      pending.catch(() => this.sessions.delete(name));
    }
    return pending;
  }

  /** Sessions currently open or opening. */
  get openSessions(): number {
    return this.sessions.size;
  }

  has(name: ComponentName): boolean {
    return !!this.manifest.components[name];
  }

  /** Runs a component, timing the call (the bench reads `stats`). */
  /** `fetches` may hold pre-allocated output tensors: ORT writes into them instead of allocating. */
  async run(
    name: ComponentName,
    feeds: Record<string, ort.Tensor>,
    fetches?: Record<string, ort.Tensor>,
  ): Promise<Record<string, ort.Tensor>> {
    const c = await this.component(name);
    this.busy++;
    clearTimeout(this.idleTimer);
    const start = performance.now();
    try {
      return (await (fetches ? c.session.run(feeds, fetches) : c.session.run(feeds))) as Record<string, ort.Tensor>;
    } finally {
      const s = (this.stats[name] ??= { calls: 0, ms: 0 });
      s.calls++;
      s.ms += performance.now() - start;
      this.busy--;
      this.armIdleTimer();
    }
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.options.idleMs <= 0 || !Number.isFinite(this.options.idleMs)) return;
    this.idleTimer = setTimeout(() => {
      if (this.busy === 0) void this.unload();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  /** Releases every session; the next use reopens them. */
  async unload(): Promise<void> {
    clearTimeout(this.idleTimer);
    const open = [...this.sessions.values()];
    this.sessions.clear();
    for (const pending of open) {
      const c = await pending.catch(() => undefined);
      await c?.session.release();
    }
    if (open.length) this.options.log?.debug(`onnx: unloaded ${this.folder.id}`);
  }

  async floatType(name: ComponentName): Promise<'float32' | 'float16'> {
    return (await this.component(name)).floatType;
  }

  /** Whether the component's first input axis is dynamic (so cond and uncond can share one call). */
  async batchable(name: ComponentName): Promise<boolean> {
    const c = await this.component(name);
    return c.session.inputMetadata.every((m) => !m.isTensor || typeof m.shape[0] !== 'number');
  }

  async providers(): Promise<string[]> {
    return [...new Set(await Promise.all([...this.sessions.values()].map(async (p) => (await p).provider)))];
  }
}
