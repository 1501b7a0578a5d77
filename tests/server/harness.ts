import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { WORKFLOW_FORMAT } from '@kinegraph/graph-core';
import { decodePreviewFrame, parseWsMessage, type PreviewFrame, type WsMessage } from '@kinegraph/runtime/protocol';
import { startServer, type RunningServer, type ServerOptions } from '../../apps/runtime/src/server/start.js';
import { testNodes } from './test-nodes.js';

export async function tempDir(prefix = 'kg-server-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** One test server for a whole test file: started before its tests in a fresh data folder, stopped and removed after. */
export function useTestServer(onStarted: (url: string) => void): void {
  let dir: string;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    dir = await tempDir();
    server = await startTestServer(dir);
    onStarted(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await removeDir(dir);
  });
}

/** A real server on a free port with the installed nodes plus the test nodes; logs are kept, not printed. */
export async function startTestServer(dataDir: string, opts: Partial<ServerOptions> = {}): Promise<RunningServer & { logs: string[] }> {
  const logs: string[] = [];
  const s = await startServer({
    port: 0,
    dataDir,
    modelsDir: path.join(dataDir, 'models'),
    editorDir: false,
    provider: 'cpu',
    extraNodes: testNodes,
    log: (m) => logs.push(m),
    ...opts,
  });
  return Object.assign(s, { logs });
}

export function workflow(
  nodes: Record<string, { type: string; params?: Record<string, unknown>; inputs?: Record<string, [string, string]> }>,
) {
  return { format: WORKFLOW_FORMAT, version: 1, nodes };
}

export async function api<T = any>(
  base: string,
  route: string,
  init: Omit<RequestInit, 'body'> & { json?: unknown; body?: string | Uint8Array } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const { json, body: raw, ...rest } = init;
  const res = await fetch(base + route, {
    ...rest,
    headers: {
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(rest.headers as Record<string, string> | undefined),
    },
    body: json !== undefined ? JSON.stringify(json) : (raw as BodyInit | undefined),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** A real JPEG file made by sharp (two coloured rectangles). */
export async function testJpeg(width = 320, height = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#884422' } })
    .composite([
      {
        input: { create: { width: Math.floor(width / 2), height: Math.floor(height / 2), channels: 3, background: '#22aa66' } },
        left: 10,
        top: 10,
      },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
}

export type Received = { kind: 'json'; msg: WsMessage; at: number } | { kind: 'preview'; frame: PreviewFrame; at: number };

/** A real WebSocket client that keeps every message it gets, parsed with the shared protocol schemas. */
export class WsProbe {
  readonly received: Received[] = [];
  private waiters: Array<() => void> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const at = performance.now();
      if (isBinary) this.received.push({ kind: 'preview', frame: decodePreviewFrame(new Uint8Array(data as Buffer)), at });
      else this.received.push({ kind: 'json', msg: parseWsMessage(String(data)), at });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(base: string, headers: Record<string, string> = {}): Promise<WsProbe> {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws', { headers });
    return new Promise((resolve, reject) => {
      const probe = new WsProbe(ws);
      ws.once('open', () => resolve(probe));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    });
  }

  get messages(): WsMessage[] {
    return this.received.flatMap((r) => (r.kind === 'json' ? [r.msg] : []));
  }
  get events() {
    return this.messages.flatMap((m) => (m.type === 'event' ? [m.event] : []));
  }
  get previews(): PreviewFrame[] {
    return this.received.flatMap((r) => (r.kind === 'preview' ? [r.frame] : []));
  }

  /** Waits until `pred` holds over what arrived so far. */
  async until(pred: (p: WsProbe) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${this.messages.map((m) => (m.type === 'event' ? m.event.type : m.type)).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  runEnded(runId: string): boolean {
    return this.events.some(
      (e) => e.runId === runId && (e.type === 'run_finished' || e.type === 'run_failed' || e.type === 'run_interrupted'),
    );
  }

  close(): void {
    this.ws.close();
  }
}

/** Polls the history route until the run has a final status. */
export async function waitForRun(base: string, runId: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await api(base, `/api/history/${runId}`);
    if (status === 200 && !['queued', 'running'].includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(body).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
