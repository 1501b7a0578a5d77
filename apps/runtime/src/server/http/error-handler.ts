import type { ErrorRequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import { StoreError } from '../store/store-error.js';

/** Turns every thrown error into `{ error: { code, message, issues?, omittedIssues?, limit? } }` with a fitting status. */
export function errorHandler(log: (msg: string) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      res
        .status(err.status)
        .json({ error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}), ...err.extra } });
      return;
    }
    // Nothing was queued: say why, so the client can try again (507) or send less (413).
    if (err instanceof StoreError) {
      log(`could not store a run: ${err.message}`);
      const tooLarge = err.kind === 'too_large';
      res.status(tooLarge ? 413 : 507).json({
        error: { code: tooLarge ? 'payload_too_large' : 'storage_failed', message: `The run was not queued: ${err.message}` },
      });
      return;
    }
    // body-parser errors carry a status and a type.
    const e = err as { status?: number; type?: string; message?: string; limit?: number };
    if (e.type === 'entity.too.large') {
      res.status(413).json({
        error: {
          code: 'payload_too_large',
          message: `The request body is larger than the limit of ${e.limit} bytes (maxJsonBytes)`,
          ...(e.limit !== undefined ? { limit: { name: 'maxJsonBytes', max: e.limit } } : {}),
        },
      });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'bad_request', message: `The body is not valid JSON: ${e.message}` } });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'bad_request', message: e.message ?? 'Bad request' } });
      return;
    }
    log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
    res.status(500).json({ error: { code: 'internal', message: (err as Error)?.message ?? 'Internal error' } });
  };
}
