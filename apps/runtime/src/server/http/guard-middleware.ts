import type { RequestHandler } from 'express';
import { checkRequest, type GuardOptions } from '../security/request-guard.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Host, Origin and token checks on every HTTP request (see request-guard.ts). Allowed foreign origins (a dev
 * server) get CORS headers; everything else gets none, so a browser never lets another site read our answers.
 */
export function guardMiddleware(opts: GuardOptions): RequestHandler {
  return (req, res, next) => {
    const verdict = checkRequest(req, opts, !SAFE_METHODS.has(req.method));
    if (!verdict.ok) {
      res.status(verdict.status).json({ error: { code: verdict.code, message: verdict.message } });
      return;
    }
    const origin = req.headers.origin;
    if (origin && opts.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
