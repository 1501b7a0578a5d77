import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkRequest, type GuardOptions } from '../security/request-guard.js';
import type { WsHub } from './hub.js';

const HEARTBEAT_MS = 30_000;
/** A preview message carries the tab's workflow: room for a large one, not for a flood. */
const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * `/ws` on the HTTP server: the handshake passes the same Host, Origin and token checks as HTTP (a page on
 * another site can not open the socket), then the hub sends the snapshot and every message after it.
 */
export function attachWebSocket(server: Server, hub: WsHub, guard: GuardOptions): WebSocketServer {
  // Clients send only preview messages (a workflow and a few fields): a payload limit keeps them from buffering more.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const verdict = pathname === '/ws' ? checkRequest(req, guard, true) : { ok: false as const, status: 404, message: 'Not found' };
    if (!verdict.ok) {
      socket.write(
        `HTTP/1.1 ${verdict.status} ${verdict.message.replace(/[\r\n]/g, ' ')}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.binaryType = 'nodebuffer';
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      hub.attach(ws);
    });
  });
  // A tab whose machine slept or lost the network never says goodbye: ping, and drop those that stay silent.
  const alive = new WeakMap<WebSocket, boolean>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  wss.on('close', () => clearInterval(heartbeat));
  return wss;
}
