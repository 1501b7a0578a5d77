import type { EngineEvent } from '@kinegraph/graph-core';
import type WebSocket from 'ws';
import { encodePreviewFrame, WS_PROTOCOL_VERSION, type QueueState, type SnapshotMessage } from '../../protocol/index.js';
import { ClientChannel, type ChannelOptions } from './client-channel.js';

export const DEFAULT_CHANNEL_OPTIONS: ChannelOptions = { highWaterMark: 256 * 1024, maxBacklog: 10_000, drainIntervalMs: 15 };

/**
 * Fans engine events and queue changes out to every connected tab. Each message is serialized once and
 * shared; each client has its own backlog (see ClientChannel).
 */
export class WsHub {
  private readonly clients = new Set<ClientChannel>();

  constructor(
    private readonly snapshot: () => Omit<SnapshotMessage, 'v' | 'type'>,
    private readonly channelOptions: ChannelOptions = DEFAULT_CHANNEL_OPTIONS,
    /** What a tab sends (text frames: the live preview's messages); binary frames are not part of the protocol. */
    private readonly onClientMessage?: (channel: ClientChannel, text: string) => void,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  attach(ws: WebSocket): ClientChannel {
    const ch = new ClientChannel(ws, this.channelOptions);
    this.clients.add(ch);
    ws.on('close', () => this.clients.delete(ch));
    ws.on('error', () => this.clients.delete(ch));
    ws.on('message', (data, isBinary) => {
      if (!isBinary && this.onClientMessage) this.onClientMessage(ch, String(data));
    });
    const snap: SnapshotMessage = { v: WS_PROTOCOL_VERSION, type: 'snapshot', ...this.snapshot() };
    ch.sendText(JSON.stringify(snap));
    return ch;
  }

  event(e: EngineEvent): void {
    if (this.clients.size === 0) return;
    if (e.type === 'preview') {
      const frame = encodePreviewFrame(
        { runId: e.runId, nodeId: e.nodeId, width: e.image.width, height: e.image.height },
        e.image.mime,
        e.image.data,
      );
      for (const c of this.clients) c.sendPreview(frame);
      return;
    }
    const text = JSON.stringify({ v: WS_PROTOCOL_VERSION, type: 'event', event: e });
    const key = e.type === 'progress' ? `${e.runId}\u0000${e.nodeId}` : undefined;
    for (const c of this.clients) c.sendText(text, key);
  }

  queue(queue: QueueState): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ v: WS_PROTOCOL_VERSION, type: 'queue', queue });
    for (const c of this.clients) c.sendText(text, 'queue');
  }

  closeAll(): void {
    for (const c of this.clients) c.ws.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
