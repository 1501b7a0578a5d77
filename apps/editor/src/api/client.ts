import type { z } from 'zod';
import {
  ApiErrorSchema,
  routePath,
  routes,
  signingKey,
  signUrl,
  type RouteDef,
  type SubmitRunBody,
  type UploadKind,
} from '@kinegraph/runtime/protocol';
import type { GraphIssue, Workflow } from './types.js';

/** An API error with the server's code and per-node issues (400 validation_failed). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: GraphIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * The access token: from the page address once (`#token=…`, never sent to the server, or `?token=…`), then
 * kept in this browser and taken out of the address bar, so it stays out of history and shared links.
 */
const token = (() => {
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('token') ?? new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    localStorage.setItem('kinegraph.token', fromUrl);
    const clean = new URL(location.href);
    clean.searchParams.delete('token');
    clean.hash = clean.hash.replace(/(^#|&)token=[^&]*/, '$1').replace(/^#&?$/, '');
    history.replaceState(history.state, '', clean.pathname + clean.search + clean.hash);
  }
  return fromUrl ?? localStorage.getItem('kinegraph.token') ?? '';
})();
const signing = token ? signingKey(token) : undefined;
/** Server clock minus ours (from the Date of its answers): a signed URL expires by the server's clock. */
let clockSkewMs = 0;

/**
 * A URL the browser loads by itself (img, video, audio, the socket) for this server: with a token, signed for
 * its path and short-lived (`?exp=&sig=`), never with the token itself. One the server already signed stays.
 */
export function withToken(url: string): string {
  if (!signing || /[?&]sig=/.test(url)) return url;
  return signUrl(url, signing, Date.now() + clockSkewMs);
}

export function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return withToken(`${proto}//${location.host}/ws`);
}

type Query = Record<string, string | number | boolean | undefined>;
interface CallOptions {
  params?: Record<string, string>;
  query?: Query;
  body?: unknown;
  contentType?: string;
}

/**
 * Calls one route of the protocol's table and parses the answer with its response schema (the server's
 * own), so a wrong answer fails here, by name, instead of deep inside the editor.
 */
async function call<R extends RouteDef>(route: R, o: CallOptions = {}): Promise<z.output<R['response']>> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) search.set(k, String(v));
  const url = routePath(route, o.params) + (search.size ? `?${search}` : '');
  const json = await send(route.method, url, o.body, o.contentType);
  const parsed = route.response.safeParse(json);
  if (!parsed.success)
    throw new ApiError(
      200,
      'bad_response',
      `Unexpected answer from ${route.method} ${route.path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  // The data the route's own schema just produced (TypeScript can not follow a generic schema's output).
  return parsed.data as z.output<R['response']>;
}

async function send(method: string, url: string, body?: unknown, contentType?: string): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = contentType || body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, { method, headers, body: payload });
  const date = Date.parse(res.headers.get('date') ?? '');
  if (Number.isFinite(date)) clockSkewMs = date - Date.now();
  if (res.status === 204) return undefined;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = ApiErrorSchema.safeParse(json);
    const e = err.success ? err.data.error : undefined;
    throw new ApiError(res.status, e?.code ?? 'http_' + res.status, e?.message ?? (text.slice(0, 200) || res.statusText), e?.issues ?? []);
  }
  return json;
}

export const api = {
  nodes: () => call(routes.nodes).then((r) => r.nodes),
  models: () => call(routes.models).then((r) => r.models),
  system: () => call(routes.system),
  workflows: () => call(routes.workflows).then((r) => r.workflows),
  workflow: (name: string) => call(routes.workflow, { params: { name } }),
  submit: (workflow: Workflow, opts: Omit<SubmitRunBody, 'workflow' | 'batch'> & { batch?: number } = {}) =>
    call(routes.submitRun, { body: { workflow, ...opts } }),
  queue: () => call(routes.queue),
  cancel: (runId: string) => call(routes.cancel, { params: { runId } }),
  pause: () => call(routes.pause),
  resume: () => call(routes.resume),
  interrupt: (runId?: string) => call(routes.interrupt, { body: runId ? { runId } : {} }),
  history: (offset = 0, limit = 50) => call(routes.history, { query: { offset, limit } }),
  run: (runId: string) => call(routes.run, { params: { runId } }),
  deleteRun: (runId: string) => call(routes.deleteRun, { params: { runId } }),
  upload: (file: Blob, kind: UploadKind, filename: string) => call(routes.upload, { query: { kind, filename }, body: file }),
  workflowFromFile: (file: Blob) => call(routes.workflowFromFile, { body: file }).then((r) => r.workflow),
  freeCache: () => call(routes.freeCache),
  /** A contact grid of a sweep's finished runs (in sweep order): the grid picture, and a grid video for clips. */
  grid: (runIds: string[]) => call(routes.grid, { body: { runIds } }).then((r) => r.outputs),
};
