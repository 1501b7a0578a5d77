import { parsePreviewFrame } from './preview-frame.js';
import { parseWsMessage, type WsMessage } from '@kinegraph/runtime/protocol';
import { wsUrl } from './client.js';
import type { RunStore } from '../store/run-store.js';

/** The /ws connection: feeds the run store, reconnects with backoff and resumes from the server's snapshot. */
export function connectSocket(runs: RunStore, onRunEnded: () => void): () => void {
  let ws: WebSocket | null = null;
  let stopped = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    runs.setGlobal({ connection: 'connecting' });
    ws = new WebSocket(wsUrl());
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      delay = 500;
      runs.setGlobal({ connection: 'open' });
    };
    ws.onmessage = (m) => {
      if (m.data instanceof ArrayBuffer) {
        const frame = parsePreviewFrame(m.data);
        if (frame) runs.preview(frame);
        return;
      }
      let msg: WsMessage;
      try {
        msg = parseWsMessage(String(m.data));
      } catch (e) {
        // A message from a newer protocol (or a bug): skip it rather than break the live view.
        console.warn('kinegraph: unreadable socket message', e);
        return;
      }
      if (msg.type === 'snapshot') runs.snapshot(msg.queue, msg.progress, msg.nodeStates ?? {});
      else if (msg.type === 'queue') runs.setGlobal({ queue: msg.queue });
      else if (msg.type === 'event') {
        runs.apply(msg.event);
        const t = msg.event.type;
        if (t === 'run_finished' || t === 'run_failed' || t === 'run_interrupted') onRunEnded();
      }
    };
    ws.onclose = () => {
      runs.setGlobal({ connection: 'closed' });
      if (stopped) return;
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, 8000);
    };
    ws.onerror = () => ws?.close();
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    ws?.close();
  };
}
