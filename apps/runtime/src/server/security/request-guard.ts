import { timingSafeEqual } from 'node:crypto';
import type { ApiErrorCodeName } from '../../protocol/index.js';
import type { IncomingMessage } from 'node:http';
import { hostnameOf, isLoopbackHost } from './network.js';
import { UrlSigner } from './signed-urls.js';

export interface GuardOptions {
  /** Access token; when set, every request must carry it. */
  token?: string;
  /** Whether the server listens on a loopback address only. */
  loopback: boolean;
  /** Extra origins (scheme://host:port) allowed to call the API and open the socket (e.g. a dev server). */
  allowedOrigins: string[];
}

export type GuardResult = { ok: true } | { ok: false; status: 401 | 403 | 421; code: ApiErrorCodeName; message: string };

const OK: GuardResult = { ok: true };

/**
 * One check for HTTP requests and WebSocket handshakes:
 * - Host: on a loopback listener the Host header must name a loopback host (stops DNS rebinding).
 * - Origin: a browser request from another origin is refused (CSRF, cross-site WebSocket hijacking). Only this
 *   server's own origin and the configured ones pass; another port on this machine is another origin (any local
 *   program's page, `http://127.0.0.1:9999`, `http://x.localhost:8188` is not this server). Requests without
 *   Origin (curl, the CLI) pass when not marked cross-site.
 * - Token: when set, `Authorization: Bearer <token>`. What a browser fetches by URL alone (files, the socket)
 *   may instead carry a short-lived signature for its path (`?exp=&sig=`, see signed-urls.ts); `?token=` is
 *   not taken: a token in a URL ends up in history, logs and shared links. The editor's own page and scripts
 *   (GET, outside /api, /files and /ws) hold no data and load without it, so the editor can start and sign.
 * `stateChanging` marks requests that must never be cross-site (POST/DELETE, the socket).
 */
export function checkRequest(req: IncomingMessage, opts: GuardOptions, stateChanging: boolean): GuardResult {
  const host = req.headers.host ?? '';
  if (opts.loopback && !isLoopbackHost(hostnameOf(host)) && !opts.allowedOrigins.some((o) => safeHost(o) === host)) {
    return { ok: false, status: 421, code: 'forbidden_host', message: `Host "${host}" is not served here` };
  }
  const origin = req.headers.origin;
  if (stateChanging || origin) {
    if (origin !== undefined && !originAllowed(origin, host, opts)) {
      return { ok: false, status: 403, code: 'forbidden_origin', message: `Requests from origin ${origin} are not allowed` };
    }
    if (stateChanging && origin === undefined && req.headers['sec-fetch-site'] === 'cross-site') {
      return { ok: false, status: 403, code: 'forbidden_origin', message: 'Cross-site requests are not allowed' };
    }
  }
  if (opts.token !== undefined && !authorized(req, opts.token)) {
    const inUrl = new URL(req.url ?? '/', 'http://x').searchParams.has('token');
    return {
      ok: false,
      status: 401,
      code: 'unauthorized',
      message: inUrl
        ? 'The token is not taken from the URL (?token=): send Authorization: Bearer <token>; files and the socket also take a signed URL (?exp=&sig=) as the API hands out'
        : 'A valid access token is required (Authorization: Bearer <token>), or for files and the socket a signed URL that has not expired',
    };
  }
  return OK;
}

/** This server's own origin (the Host it was reached at) and the configured ones; nothing else. */
export function originAllowed(origin: string, hostHeader: string, opts: GuardOptions): boolean {
  if (opts.allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes "null" (sandboxed frames, file://)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.host === hostHeader;
}

const API_PREFIXES = ['/api/', '/files/', '/ws'];

function authorized(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return same(auth.slice(7).trim(), token);
  const safe = req.method === 'GET' || req.method === 'HEAD';
  if (!safe) return false;
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  if (pathname.startsWith('/files/') || pathname === '/ws') return signerFor(token).verify(req.url ?? '/');
  // The editor's page and scripts: public code, no data.
  return !API_PREFIXES.some((p) => pathname.startsWith(p) || pathname === p.replace(/\/$/, ''));
}

function same(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

let cached: { token: string; signer: UrlSigner } | undefined;
function signerFor(token: string): UrlSigner {
  if (cached?.token !== token) cached = { token, signer: new UrlSigner(token) };
  return cached.signer;
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
