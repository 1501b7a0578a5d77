import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostnameOf, isLoopbackHost } from './network.js';

export interface GuardOptions {
  /** Access token; when set, every request must carry it. */
  token?: string;
  /** Whether the server listens on a loopback address only. */
  loopback: boolean;
  /** Extra origins (scheme://host:port) allowed to call the API and open the socket (e.g. a dev server). */
  allowedOrigins: string[];
}

export type GuardResult = { ok: true } | { ok: false; status: 401 | 403 | 421; code: string; message: string };

const OK: GuardResult = { ok: true };

/**
 * One check for HTTP requests and WebSocket handshakes:
 * - Host: on a loopback listener the Host header must name a loopback host (stops DNS rebinding).
 * - Origin: a browser request from another site is refused (CSRF, cross-site WebSocket hijacking); same-origin,
 *   loopback origins and configured ones pass. Requests without Origin (curl, the CLI) pass when not cross-site.
 * - Token: when set, `Authorization: Bearer <token>` or `?token=` must match.
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
  if (opts.token !== undefined && !tokenMatches(req, opts.token)) {
    return { ok: false, status: 401, code: 'unauthorized', message: 'A valid access token is required (Authorization: Bearer <token> or ?token=)' };
  }
  return OK;
}

export function originAllowed(origin: string, hostHeader: string, opts: GuardOptions): boolean {
  if (opts.allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes "null" (sandboxed frames, file://)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.host === hostHeader) return true;
  // A page served from this machine (the editor's dev server) may talk to a loopback server.
  return opts.loopback && isLoopbackHost(url.hostname) && isLoopbackHost(hostnameOf(hostHeader));
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization;
  let given: string | undefined;
  if (auth?.startsWith('Bearer ')) given = auth.slice(7).trim();
  else {
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    if (q !== null) given = q;
  }
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
