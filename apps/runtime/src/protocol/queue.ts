import { z } from 'zod';
import { RunIdSchema, RunSummarySchema } from './runs.js';

export const QueueStateSchema = z.object({
  paused: z.boolean(),
  running: RunSummarySchema.nullable(),
  pending: z.array(RunSummarySchema),
  /** With a Redis queue and several workers: the runs running besides `running`, oldest first. */
  alsoRunning: z.array(RunSummarySchema).optional(),
});
export type QueueState = z.infer<typeof QueueStateSchema>;

export const PausedResponseSchema = z.object({ paused: z.boolean() });

/** GET /api/history: newest first; `cursor` (the `nextCursor` of the page before) or `offset` says where to start. */
export const HistoryQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: RunIdSchema.optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

/** `nextCursor`: pass it as `cursor` for the next page; null on the last one. */
export const HistoryPageSchema = z.object({ total: z.number().int(), items: z.array(RunSummarySchema), nextCursor: z.string().nullable() });
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** DELETE /api/queue/:runId — a queued run is removed; the running one is interrupted. */
export const CancelResponseSchema = z.object({ runId: z.string(), result: z.enum(['cancelled', 'interrupting']) });
export type CancelResponse = z.infer<typeof CancelResponseSchema>;
