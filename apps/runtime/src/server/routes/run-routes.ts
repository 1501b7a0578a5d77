import { Router } from 'express';
import { routes } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { checkWorkflowBounds } from '../http/json-body.js';
import { onRoute } from '../http/on-route.js';
import { sweepCount } from '../run/variant-runs.js';

/** Submitting runs, the queue, interrupts and history. */
export function runRoutes(ctx: ServerContext): Router {
  const r = Router();

  onRoute(r, routes.submitRun, async ({ body, req }) => {
    // A sweep queues one copy of the workflow per variant: the batch-bytes limit counts them all.
    checkWorkflowBounds(req, body.workflow, body.batch * sweepCount(body), ctx.limits);
    return ctx.runs.submit(body);
  });

  onRoute(r, routes.queue, () => ctx.runs.queueState());

  onRoute(r, routes.pause, async () => {
    await ctx.runs.setPaused(true);
    return { paused: true };
  });

  onRoute(r, routes.resume, async () => {
    await ctx.runs.setPaused(false);
    return { paused: false };
  });

  onRoute(r, routes.cancel, async ({ params }) => ({ runId: params.runId, result: await ctx.runs.cancel(params.runId) }));

  onRoute(r, routes.interrupt, ({ body }) => ({ interrupted: ctx.runs.interrupt(body.runId) }));

  // Paged from disk: `cursor` (the previous page's nextCursor) or `offset`, newest first.
  onRoute(r, routes.history, ({ query }) => ctx.store.historyPage(query));

  onRoute(r, routes.run, async ({ params }) => {
    const rec = await ctx.runs.get(params.runId);
    if (!rec) throw new HttpError(404, 'not_found', `No run "${params.runId}"`);
    // Output URLs signed when a token is set: a browser loads them without it.
    return ctx.urls.withSignedOutputs(rec);
  });

  onRoute(r, routes.deleteRun, async ({ params }) => {
    if (!(await ctx.store.deleteHistory(params.runId))) throw new HttpError(404, 'not_found', `No finished run "${params.runId}"`);
    return { deleted: params.runId };
  });

  return r;
}
