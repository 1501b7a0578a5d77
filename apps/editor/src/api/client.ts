import { signingKey, signUrl } from '@kinegraph/runtime/protocol';
import type { GraphIssue, ModelInfo, NodeSchema, QueueState, RunRecord, RunSummary, SystemInfo, UploadResult, Workflow } from './types.js';

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

async function request<T>(method: string, url: string, body?: unknown, contentType?: string): Promise<T> {
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
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; issues?: GraphIssue[] } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? (text.slice(0, 200) || res.statusText), err?.issues ?? []);
  }
  return json as T;
}

export const api = {
  nodes: () => request<{ nodes: NodeSchema[] }>('GET', '/api/nodes').then((r) => r.nodes),
  models: () => request<{ models: ModelInfo[] }>('GET', '/api/models').then((r) => r.models),
  system: () => request<SystemInfo>('GET', '/api/system'),
  workflows: () => request<{ workflows: { name: string; title: string }[] }>('GET', '/api/workflows').then((r) => r.workflows),
  workflow: (name: string) => request<Workflow>('GET', `/api/workflows/${encodeURIComponent(name)}`),
  submit: (workflow: Workflow, opts: { batch?: number; clientId?: string; targets?: string[]; force?: string[]; front?: boolean } = {}) =>
    request<{ runs: { runId: string; position: number }[] }>('POST', '/api/runs', { workflow, ...opts }),
  queue: () => request<QueueState>('GET', '/api/queue'),
  cancel: (runId: string) => request<void>('DELETE', `/api/queue/${encodeURIComponent(runId)}`),
  pause: () => request<{ paused: boolean }>('POST', '/api/queue/pause'),
  resume: () => request<{ paused: boolean }>('POST', '/api/queue/resume'),
  interrupt: (runId?: string) => request<{ interrupted: string | null }>('POST', '/api/interrupt', runId ? { runId } : {}),
  history: (offset = 0, limit = 50) => request<{ total: number; items: RunSummary[] }>('GET', `/api/history?offset=${offset}&limit=${limit}`),
  run: (runId: string) => request<RunRecord>('GET', `/api/history/${encodeURIComponent(runId)}`),
  deleteRun: (runId: string) => request<void>('DELETE', `/api/history/${encodeURIComponent(runId)}`),
  upload: (file: Blob, kind: 'image' | 'audio' | 'workflow', filename: string) =>
    request<UploadResult>('POST', `/api/uploads?kind=${kind}&filename=${encodeURIComponent(filename)}`, file),
  workflowFromFile: (file: Blob) => request<{ workflow: Workflow }>('POST', '/api/workflow-from-file', file).then((r) => r.workflow),
  freeCache: () => request<unknown>('POST', '/api/cache/free'),
};
