import {
  decodePreviewFrame,
  parsePreviewState,
  WS_PROTOCOL_VERSION,
  type PreviewState,
  type WsClientMessage,
} from '@kinegraph/runtime/protocol';
import { wsUrl } from '../api/client.js';

export interface PreviewPicture {
  blob: Blob;
  generation: number;
  frame: number;
  width: number;
  height: number;
}

/** Edits closer together than this are sent as one (the newest), the first of a burst at once. */
const THROTTLE_MS = 40;

/**
 * One live preview session on a socket of its own (/ws, the public protocol): sends the workflow on every
 * edit (throttled: the first at once, then the newest every THROTTLE_MS), scrubs and plays, and hands back
 * the server's states and frames of the newest edit only. Reconnects and resends the last edit.
 */
export class PreviewClient {
  private ws: WebSocket | null = null;
  private readonly session = `p${Math.random().toString(36).slice(2, 10)}`;
  private lastOpen: WsClientMessage | undefined;
  private pending: WsClientMessage | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;
  private generation = 0;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onState: (s: PreviewState) => void,
    private readonly onPicture: (p: PreviewPicture) => void,
  ) {
    this.connect();
  }

  /** A new edit: the workflow as it is now, the Denoise node, and where the playhead is. */
  open(workflow: unknown, nodeId: string, width: number, frame: number, playing: boolean): void {
    const msg: WsClientMessage = {
      v: WS_PROTOCOL_VERSION,
      type: 'preview_open',
      session: this.session,
      workflow,
      nodeId,
      width,
      frame,
      playing,
    };
    this.lastOpen = msg;
    const wait = THROTTLE_MS - (performance.now() - this.lastSent);
    if (wait <= 0 && !this.timer) this.flush(msg);
    else {
      this.pending = msg;
      this.timer ??= setTimeout(
        () => {
          this.timer = undefined;
          if (this.pending) this.flush(this.pending);
        },
        Math.max(0, wait),
      );
    }
  }

  seek(frame: number, playing: boolean): void {
    if (this.lastOpen?.type === 'preview_open') this.lastOpen = { ...this.lastOpen, frame, playing };
    this.send({ v: WS_PROTOCOL_VERSION, type: 'preview_seek', session: this.session, frame, playing });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.retry);
    this.send({ v: WS_PROTOCOL_VERSION, type: 'preview_close', session: this.session });
    this.ws?.close();
  }

  private flush(msg: WsClientMessage): void {
    this.pending = undefined;
    this.lastSent = performance.now();
    this.generation++;
    this.send(msg);
  }

  private send(msg: WsClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private connect(): void {
    const ws = new WebSocket(wsUrl());
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      // A new connection is a new session on the server: its generations count from the resent edit.
      this.generation = 0;
      if (this.lastOpen) this.flush(this.lastOpen);
    };
    ws.onmessage = (m) => {
      if (m.data instanceof ArrayBuffer) {
        let f;
        try {
          f = decodePreviewFrame(m.data);
        } catch {
          return;
        }
        const p = f.header.preview;
        if (!p || p.session !== this.session || p.generation < this.generation) return;
        this.onPicture({
          blob: new Blob([f.image as BlobPart], { type: f.mime }),
          generation: p.generation,
          frame: p.frame,
          width: f.header.width ?? 0,
          height: f.header.height ?? 0,
        });
        return;
      }
      let s: PreviewState | undefined;
      try {
        s = parsePreviewState(String(m.data));
      } catch {
        return;
      }
      if (s && s.session === this.session && s.generation >= this.generation) this.onState(s);
    };
    ws.onclose = () => {
      if (!this.closed) this.retry = setTimeout(() => this.connect(), 1000);
    };
    ws.onerror = () => ws.close();
  }
}
