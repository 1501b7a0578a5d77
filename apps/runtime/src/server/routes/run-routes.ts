import { Router } from 'express';
import {
  HistoryQuerySchema,
  InterruptBodySchema,
  RunIdSchema,
  SubmitRunBodySchema,
  type CancelResponse,
  type HistoryPage,
  type InterruptResponseSchema,
} from '../../protocol/index.js';
import type { z } from 'zod';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { checkWorkflowBounds } from '../http/json-body.js';
import { parseOr400 } from '../validate.js';
import { sweepCount } from '../run/variant-runs.js';

/** Submitting runs, the queue, interrupts and history. */
export function runRoutes(ctx: ServerContext): Router {
  const r = Router();

  r.post('/api/runs', async (req, res) => {
    // No JSON parser ran (curl --data without a content type sends a form): say so instead of "expected object".
    if (req.body === undefined && !req.is('application/json')) {
      throw new HttpError(415, 'unsupported_type', `Send the run request as JSON with "Content-Type: application/json" (got ${req.get('content-type') ?? 'no content type'})`);
    }
    const body = parseOr400(SubmitRunBodySchema, req.body, 'run request');
    // A sweep queues one copy of the workflow per variant: the batch-bytes limit counts them all.
    checkWorkflowBounds(req, body.workflow, body.batch * sweepCount(body), ctx.limits);
    res.status(201).json(await ctx.runs.submit(body));
  });

  r.get('/api/queue', (_req, res) => {
    res.json(ctx.runs.queueState());
  });

  r.post('/api/queue/pause', async (_req, res) => {
    await ctx.runs.setPaused(true);
    res.json({ paused: true });
  });

  r.post('/api/queue/resume', async (_req, res) => {
    await ctx.runs.setPaused(false);
    res.json({ paused: false });
  });

  r.delete('/api/queue/:runId', async (req, res) => {
    const runId = parseOr400(RunIdSchema, req.params.runId, 'run id');
    const body: CancelResponse = { runId, result: await ctx.runs.cancel(runId) };
    res.json(body);
  });

  r.post('/api/interrupt', (req, res) => {
    const body = parseOr400(InterruptBodySchema, req.body ?? {}, 'interrupt request');
    const out: z.infer<typeof InterruptResponseSchema> = { interrupted: ctx.runs.interrupt(body.runId) };
    res.json(out);
  });

  // Paged from disk: `cursor` (the previous page's nextCursor) or `offset`, newest first.
  r.get('/api/history', async (req, res) => {
    const q = parseOr400(HistoryQuerySchema, req.query, 'history query');
    const page: HistoryPage = await ctx.store.historyPage(q);
    res.json(page);
  });

  r.get('/api/history/:runId', async (req, res) => {
    const runId = parseOr400(RunIdSchema, req.params.runId, 'run id');
    const rec = await ctx.runs.get(runId);
    if (!rec) throw new HttpError(404, 'not_found', `No run "${runId}"`);
    // Output URLs signed when a token is set: a browser loads them without it.
    res.json(ctx.urls.withSignedOutputs(rec));
  });

  r.delete('/api/history/:runId', async (req, res) => {
    const runId = parseOr400(RunIdSchema, req.params.runId, 'run id');
    if (!(await ctx.store.deleteHistory(runId))) throw new HttpError(404, 'not_found', `No finished run "${runId}"`);
    res.json({ deleted: runId });
  });

  return r;
}
