import type { Engine, NodeRegistry, Services } from '@kinegraph/graph-core';
import { prepareMotionPreview, type MotionPreview } from '@kinegraph/nodes';
import { encodePreviewFrame, WS_PROTOCOL_VERSION, type PreviewOpen, type PreviewState } from '../../protocol/index.js';
import { checkWorkflow } from '../run/check-workflow.js';
import type { ClientChannel } from '../ws/client-channel.js';

export interface PreviewDeps {
  /** The preview's own engine (sharing the runs' cache): an encode done for a run serves the preview and back. */
  engine: Engine;
  registry: NodeRegistry;
  services: Services;
  hashFile: (ref: string) => Promise<string>;
  log?: (msg: string) => void;
}

/** A turn of the event loop: long setups are split by these, so the server keeps answering. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One tab's live preview of one Denoise node. An edit (`open`) bumps the generation; one setup runs at a
 * time and, when it ends, the newest edit is set up next (edits in between are skipped: never rendered).
 * The setup's upstream nodes come from the engine's cache (the encode a run left, or one it computes once).
 * Frames then stream at the clip's frame rate while playing; each is rendered only when it is sent, and the
 * channel drops a frame the tab has no room for, so a slow tab gets fewer frames, never a backlog.
 */
export class PreviewSession {
  private generation = 0;
  private latest: PreviewOpen | undefined;
  private receivedAt = 0;
  private busy = false;
  private closed = false;
  private ready: { preview: MotionPreview; generation: number } | undefined;
  private frame = 0;
  private playing = true;
  private timer: NodeJS.Timeout | undefined;
  private playStart = { at: 0, frame: 0 };
  /** Last setup key (the workflow's JSON and node) and its preview: a seek-only change reuses it. */
  private lastKey = '';

  constructor(
    readonly id: string,
    private readonly channel: ClientChannel,
    private readonly deps: PreviewDeps,
  ) {}

  open(msg: PreviewOpen): void {
    this.latest = msg;
    this.receivedAt = performance.now();
    this.generation++;
    this.setPlayhead(msg.frame, msg.playing);
    if (!this.busy) void this.setupLoop();
  }

  seek(frame: number, playing: boolean): void {
    this.setPlayhead(frame, playing);
    if (this.ready) this.schedule(0);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ready = undefined;
  }

  private setPlayhead(frame: number, playing: boolean): void {
    this.frame = frame;
    this.playing = playing;
    this.playStart = { at: performance.now(), frame };
  }

  private async setupLoop(): Promise<void> {
    this.busy = true;
    try {
      while (!this.closed && this.latest) {
        const msg = this.latest;
        const generation = this.generation;
        this.latest = undefined;
        await this.setup(msg, generation);
      }
    } finally {
      this.busy = false;
    }
  }

  private async setup(msg: PreviewOpen, generation: number): Promise<void> {
    const started = this.receivedAt;
    const key = JSON.stringify([msg.workflow, msg.nodeId, msg.width]);
    if (key === this.lastKey && this.ready) {
      this.ready = { ...this.ready, generation };
      this.sendReady(this.ready.preview, generation, started);
      return;
    }
    clearTimeout(this.timer);
    this.send({ session: this.id, generation, status: 'preparing' });
    try {
      const preview = await this.build(msg);
      if (this.closed) return;
      if (generation !== this.generation) return; // a newer edit waits: set that one up instead
      this.lastKey = key;
      this.ready = { preview, generation };
      this.sendReady(preview, generation, started);
    } catch (e) {
      if (generation !== this.generation || this.closed) return;
      const err = e as Error & { field?: string; nodeId?: string };
      this.ready = undefined;
      this.lastKey = '';
      this.send({
        session: this.id,
        generation,
        status: 'failed',
        message: err.message,
        ...(err.nodeId ? { nodeId: err.nodeId } : {}),
        ...(err.field ? { field: err.field } : {}),
      });
    }
  }

  private sendReady(p: MotionPreview, generation: number, started: number): void {
    this.send({
      session: this.id,
      generation,
      status: 'ready',
      frames: p.frames,
      fps: p.fps,
      width: p.width,
      height: p.height,
      warnings: p.warnings,
      prepareMs: Math.round(performance.now() - started),
    });
    this.playStart = { at: performance.now(), frame: this.frame };
    this.schedule(0);
  }

  /** Checks the workflow as a run would, computes (or takes from the cache) what the Denoise node reads, and sets up the renderer. */
  private async build(msg: PreviewOpen): Promise<MotionPreview> {
    const { engine, registry, services, hashFile } = this.deps;
    const doc = msg.workflow as {
      nodes?: Record<string, { type?: string; params?: Record<string, unknown>; inputs?: Record<string, [string, string]> }>;
    };
    const node = doc?.nodes?.[msg.nodeId];
    if (!node) throw Object.assign(new Error(`Node "${msg.nodeId}" is not in the workflow`), { nodeId: msg.nodeId });
    const links = Object.entries(node.inputs ?? {});
    const targets = [...new Set(links.map(([, [src]]) => src))];
    if (!targets.length) throw Object.assign(new Error('Connect the Denoise node to preview its motion'), { nodeId: msg.nodeId });
    const checked = await checkWorkflow(msg.workflow, { registry, services, hashFile, targets });
    if (!checked.ok) {
      const first = checked.issues.find((i) => i.severity !== 'warning') ?? checked.issues[0];
      throw Object.assign(new Error(first?.message ?? 'The workflow can not run'), { nodeId: first?.nodeId, field: first?.field });
    }
    await pause();
    const result = await engine.run(checked.workflow, { targets });
    if (result.status !== 'succeeded') {
      throw Object.assign(new Error(result.error?.message ?? 'The nodes before Denoise did not run'), {
        nodeId: result.error?.nodeId,
        field: result.error?.field,
      });
    }
    await pause();
    const inputs: Record<string, unknown> = {};
    for (const [name, [src, out]] of links) inputs[name] = result.outputs[src]?.[out];
    const params = checked.workflow.nodes[msg.nodeId]?.params ?? node.params ?? {};
    try {
      return await prepareMotionPreview(inputs as never, params, { width: msg.width, pause });
    } catch (e) {
      throw Object.assign(e as Error, { nodeId: msg.nodeId });
    }
  }

  /** Sends the frame at the playhead, then schedules the next one (playing) or stops (held). */
  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.closed || !this.ready) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    const ready = this.ready;
    if (!ready || this.closed) return;
    const { preview, generation } = ready;
    const startedAt = performance.now();
    let frame = this.frame;
    if (this.playing) {
      // Wall-clock playback: a slow tick skips frames instead of slowing the clip down.
      frame = Math.floor(this.playStart.frame + ((startedAt - this.playStart.at) / 1000) * preview.fps) % preview.frames;
      this.frame = frame;
    } else {
      frame = Math.min(preview.frames - 1, Math.round(frame));
    }
    let jpeg: Uint8Array;
    try {
      jpeg = await preview.jpeg(frame);
    } catch (e) {
      this.deps.log?.(`preview frame failed: ${(e as Error).message}`);
      return;
    }
    if (this.ready !== ready || this.closed) return; // an edit arrived meanwhile: its frames follow
    this.channel.sendPreview(
      encodePreviewFrame(
        {
          runId: `preview:${this.id}`,
          nodeId: this.latest?.nodeId ?? '',
          width: preview.width,
          height: preview.height,
          preview: { session: this.id, generation, frame },
        },
        'image/jpeg',
        jpeg,
      ),
    );
    if (this.playing) this.schedule(Math.max(1, 1000 / preview.fps - (performance.now() - startedAt)));
  }

  private send(state: Omit<PreviewState, 'v' | 'type'>): void {
    this.channel.sendText(JSON.stringify({ v: WS_PROTOCOL_VERSION, type: 'preview_state', ...state }), `preview:${this.id}`);
  }
}
