import { z } from 'zod';
import { RunSummarySchema } from './runs.js';

export const QueueStateSchema = z.object({
  paused: z.boolean(),
  running: RunSummarySchema.nullable(),
  pending: z.array(RunSummarySchema),
});
export type QueueState = z.infer<typeof QueueStateSchema>;

export const PausedResponseSchema = z.object({ paused: z.boolean() });

export const HistoryQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

export const HistoryPageSchema = z.object({ total: z.number().int(), items: z.array(RunSummarySchema) });
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** DELETE /api/queue/:runId — a queued run is removed; the running one is interrupted. */
export const CancelResponseSchema = z.object({ runId: z.string(), result: z.enum(['cancelled', 'interrupting']) });
export type CancelResponse = z.infer<typeof CancelResponseSchema>;
