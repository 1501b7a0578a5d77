import type { z } from 'zod';
import { AbortError, OperationalError, UserError } from '@kinegraph/graph-core';
import {
  FileResponseSchema,
  QueryResponseSchema,
  SubmitRequestSchema,
  SubmitResponseSchema,
  taskState,
  type FileResponse,
  type QueryResponse,
  type SubmitRequest,
} from './api-schema.js';
import { parseRetryAfter, retryDelay, sleep } from './backoff.js';
import { networkCode, NOT_SENT_CODES, readBounded } from './read-bounded.js';
import { redact } from './redact.js';
import type { MiniMaxSettings } from './settings.js';
import { statusInfo } from './status-codes.js';

export interface ClientOptions {
  settings: MiniMaxSettings;
  key: string;
  /** Where the key came from ("MINIMAX_API_KEY", "~/.config/kinegraph/minimax.key"), for messages. */
  keySource: string;
  signal: AbortSignal;
  /** Retries and their reasons (never the key). */
  log?: (message: string) => void;
}

interface Call<S extends z.ZodType> {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /**
   * Safe to send again after a failure that may have reached MiniMax. A submit is not: a lost answer may hide
   * a task that was created (and will be billed), so it is resent only when MiniMax surely did not take it.
   */
  idempotent: boolean;
  what: string;
  schema: S;
  /** An answer to hand back as it is even with a non-zero status code (a failed task's query states why it failed). */
  keep?: (value: z.output<S>) => boolean;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error; retry: boolean; retryAfterMs?: number };

const MAX_ANSWER_BYTES = 1024 * 1024;

/** The three calls of MiniMax's video API, each with retries and backoff where they are safe. */
export class MiniMaxClient {
  constructor(private readonly o: ClientOptions) {}

  get signal(): AbortSignal {
    return this.o.signal;
  }

  /** Creates the generation task; its id. */
  async submit(request: SubmitRequest): Promise<string> {
    // Only the documented fields leave this machine.
    const body = SubmitRequestSchema.parse(request);
    const r = await this.call({
      method: 'POST',
      path: '/v1/video_generation',
      body,
      idempotent: false,
      what: 'Submitting the video task',
      schema: SubmitResponseSchema,
    });
    if (!r.task_id) throw new OperationalError('MiniMax accepted the video task but sent no task id');
    return r.task_id;
  }

  query(taskId: string): Promise<QueryResponse> {
    return this.call({
      method: 'GET',
      path: '/v1/query/video_generation',
      query: { task_id: taskId },
      idempotent: true,
      what: `Asking about task ${taskId}`,
      schema: QueryResponseSchema,
      keep: (r) => taskState(r.status) === 'Fail',
    });
  }

  retrieve(fileId: string): Promise<FileResponse> {
    return this.call({
      method: 'GET',
      path: '/v1/files/retrieve',
      query: { file_id: fileId },
      idempotent: true,
      what: `Looking up file ${fileId}`,
      schema: FileResponseSchema,
    });
  }

  private async call<S extends z.ZodType>(c: Call<S>): Promise<z.output<S>> {
    const s = this.o.settings;
    let last: Error | undefined;
    let retryAfterMs: number | undefined;
    for (let attempt = 1; attempt <= s.attempts; attempt++) {
      if (attempt > 1) await sleep(retryDelay(attempt - 1, s.retryBaseMs, s.retryMaxMs, retryAfterMs), this.o.signal);
      const outcome = await this.once(c);
      if (outcome.ok) return outcome.value;
      if (!outcome.retry) throw outcome.error;
      last = outcome.error;
      retryAfterMs = outcome.retryAfterMs;
      if (attempt < s.attempts) this.o.log?.(`${outcome.error.message}; trying again (${attempt + 1} of ${s.attempts})`);
    }
    throw new OperationalError(`${last!.message} (gave up after ${s.attempts} tries)`);
  }

  private async once<S extends z.ZodType>(c: Call<S>): Promise<Outcome<z.output<S>>> {
    const { settings: s, signal } = this.o;
    const url = new URL(s.apiBase + c.path);
    for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, v);
    const timeout = AbortSignal.timeout(s.requestTimeoutMs);
    const clean = (text: string) => redact(text, this.o.key);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await fetch(url, {
        method: c.method,
        headers: { Authorization: `Bearer ${this.o.key}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
        signal: AbortSignal.any([signal, timeout]),
        // A redirect would be a misconfigured base URL: never follow it with the key.
        redirect: 'error',
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await readBounded(res, MAX_ANSWER_BYTES);
    } catch (e) {
      if (signal.aborted) throw new AbortError();
      if (timeout.aborted) {
        return {
          ok: false,
          retry: c.idempotent,
          error: new OperationalError(`${c.what}: MiniMax did not answer within ${Math.round(s.requestTimeoutMs / 1000)} s`),
        };
      }
      const code = networkCode(e);
      const why = code || clean((e as Error).message);
      return {
        ok: false,
        retry: c.idempotent || NOT_SENT_CODES.has(code),
        error: new OperationalError(`${c.what}: could not reach MiniMax at ${url.origin} (${why})`),
      };
    }

    const said = clean(messageIn(text));
    const tail = said ? `: ${said}` : '';
    if (status === 401 || status === 403) {
      return {
        ok: false,
        retry: false,
        error: new UserError(
          `MiniMax refused the API key from ${this.o.keySource} (HTTP ${status}${tail}); check it at platform.minimax.io`,
        ),
      };
    }
    if (status === 429) {
      return {
        ok: false,
        retry: true,
        retryAfterMs: parseRetryAfter(retryAfter),
        error: new OperationalError(`${c.what}: MiniMax's rate limit was reached (HTTP 429${tail})`),
      };
    }
    if (status >= 500) {
      // 503: the service turned the request away before taking it.
      return {
        ok: false,
        retry: c.idempotent || status === 503,
        retryAfterMs: parseRetryAfter(retryAfter),
        error: new OperationalError(`${c.what}: MiniMax answered HTTP ${status}${tail}`),
      };
    }
    if (status < 200 || status >= 300)
      return { ok: false, retry: false, error: new OperationalError(`${c.what}: MiniMax answered HTTP ${status}${tail}`) };

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // A proxy's error page rather than MiniMax: may pass.
      return {
        ok: false,
        retry: c.idempotent,
        error: new OperationalError(`${c.what}: MiniMax's answer is not JSON (${clean(text.slice(0, 80)) || 'empty'})`),
      };
    }
    const parsed = c.schema.safeParse(json);
    if (!parsed.success) {
      const base = (json as { base_resp?: unknown } | null)?.base_resp;
      const fields = parsed.error.issues.map((i) => i.path.join('.') || 'answer').join(', ');
      return {
        ok: false,
        retry: false,
        error: new OperationalError(`${c.what}: MiniMax's answer is not as documented (${base === undefined ? 'no base_resp' : fields})`),
      };
    }
    const value = parsed.data as z.output<S> & { base_resp: { status_code: number; status_msg: string } };
    const code = value.base_resp.status_code;
    if (code === 0 || c.keep?.(value)) return { ok: true, value };
    const info = statusInfo(code);
    const msg = clean(value.base_resp.status_msg);
    const detail = `${info.text} (status ${code}${msg && msg !== info.text ? `: ${msg}` : ''})`;
    // MiniMax answered with an error: no task was made, so even a submit may be sent again.
    if (info.kind === 'retry') return { ok: false, retry: true, error: new OperationalError(`${c.what}: ${detail}`) };
    if (info.kind === 'auth')
      return { ok: false, retry: false, error: new UserError(`MiniMax refused the API key from ${this.o.keySource}: ${detail}`) };
    if (info.kind === 'user') return { ok: false, retry: false, error: new UserError(`MiniMax refused the request: ${detail}`) };
    return { ok: false, retry: false, error: new OperationalError(`${c.what}: ${detail}`) };
  }
}

/** The message in an error answer: base_resp.status_msg, a "message"/"error" field, or a short plain text. */
function messageIn(text: string): string {
  if (!text) return '';
  try {
    const j = JSON.parse(text) as { base_resp?: { status_msg?: unknown }; message?: unknown; error?: unknown };
    const m =
      j?.base_resp?.status_msg ??
      j?.message ??
      (typeof j?.error === 'string' ? j.error : (j?.error as { message?: unknown } | undefined)?.message);
    return typeof m === 'string' ? m.slice(0, 300) : '';
  } catch {
    return /^[^<]{1,200}$/.test(text.trim()) ? text.trim() : '';
  }
}
