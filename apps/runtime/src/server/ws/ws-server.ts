import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { checkRequest, type GuardOptions } from '../security/request-guard.js';
import type { WsHub } from './hub.js';

/**
 * `/ws` on the HTTP server: the handshake passes the same Host, Origin and token checks as HTTP (a page on
 * another site can not open the socket), then the hub sends the snapshot and every message after it.
 */
export function attachWebSocket(server: Server, hub: WsHub, guard: GuardOptions): WebSocketServer {
  // Clients send nothing we read: a tiny payload limit keeps them from buffering megabytes here.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const verdict = pathname === '/ws' ? checkRequest(req, guard, true) : { ok: false as const, status: 404, message: 'Not found' };
    if (!verdict.ok) {
      socket.write(`HTTP/1.1 ${verdict.status} ${verdict.message.replace(/[\r\n]/g, ' ')}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.binaryType = 'nodebuffer';
      hub.attach(ws);
    });
  });
  return wss;
}
