import WebSocket from 'ws';

export interface ChannelOptions {
  /** Above this many buffered bytes the client counts as slow: messages wait in the backlog. */
  highWaterMark: number;
  /** A client this far behind is disconnected (it reconnects and gets a fresh snapshot). */
  maxBacklog: number;
  /** How often a slow client's backlog is retried. */
  drainIntervalMs: number;
}

type Item = { data: string | Uint8Array; key?: string; preview?: boolean };

/**
 * One browser tab. Sends at once while the socket keeps up; when it falls behind, messages wait in a backlog
 * where progress messages are coalesced (latest per node) and only the newest preview is kept. Nothing here
 * ever waits on the client, so a slow tab can not slow a run.
 */
export class ClientChannel {
  private backlog: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  dropped = 0;
  coalesced = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly opts: ChannelOptions,
  ) {
    ws.on('close', () => clearTimeout(this.timer));
  }

  /** Sends JSON text; messages with the same `key` (progress of one node) replace each other while waiting. */
  sendText(text: string, key?: string): void {
    this.enqueue({ data: text, key });
  }

  /** Sends a binary preview frame; while the client is behind, an older waiting preview is dropped. */
  sendPreview(frame: Uint8Array): void {
    this.enqueue({ data: frame, preview: true });
  }

  private enqueue(item: Item): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.backlog.length === 0 && this.ws.bufferedAmount < this.opts.highWaterMark) {
      this.send(item);
      return;
    }
    if (item.key !== undefined) {
      const same = this.backlog.find((b) => b.key === item.key);
      if (same) {
        same.data = item.data;
        this.coalesced++;
        return;
      }
    }
    if (item.preview) {
      const before = this.backlog.length;
      this.backlog = this.backlog.filter((b) => !b.preview);
      this.dropped += before - this.backlog.length;
    }
    this.backlog.push(item);
    if (this.backlog.length > this.opts.maxBacklog) {
      this.backlog = [];
      this.ws.close(1013, 'client too slow; reconnect for a fresh snapshot');
      return;
    }
    this.scheduleDrain();
  }

  private send(item: Item): void {
    // The callback fires once the bytes left our buffer: a good moment to send what waited.
    this.ws.send(item.data, { binary: typeof item.data !== 'string' }, () => {
      if (this.backlog.length) this.drain();
    });
  }

  private drain(): void {
    while (this.backlog.length && this.ws.readyState === WebSocket.OPEN && this.ws.bufferedAmount < this.opts.highWaterMark) {
      this.send(this.backlog.shift()!);
    }
    if (this.backlog.length) this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, this.opts.drainIntervalMs);
  }
}
