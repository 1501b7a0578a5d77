import { z } from 'zod';

/**
 * What the HTTP edge accepts (GET /api/limits). Past a limit the answer is 413 (429 for a full queue) with
 * `error.limit` naming it, so a client can say which one and by how much.
 */
export const ServerLimitsSchema = z.object({
  /** Largest JSON body, in bytes. */
  maxJsonBytes: z.number().int(),
  /** Objects and arrays inside one another in a JSON body. */
  maxJsonDepth: z.number().int(),
  /** Characters in one string of a JSON body. */
  maxStringLength: z.number().int(),
  /** Entries in one object or array. */
  maxEntries: z.number().int(),
  /** Values in one JSON body. */
  maxValues: z.number().int(),
  /** Nodes in one workflow. */
  maxNodes: z.number().int(),
  /** A run request's size times its batch: what one request may add to the queue's files. */
  maxBatchBytes: z.number().int(),
  /** Runs waiting in the queue (the running one not counted). */
  maxQueuedRuns: z.number().int(),
  /** Validation problems listed in one answer; the rest are counted in `error.omittedIssues`. */
  maxReportedIssues: z.number().int(),
  /** Largest upload, in bytes. */
  maxUploadBytes: z.number().int(),
});
export type ServerLimitsJson = z.infer<typeof ServerLimitsSchema>;
export type LimitName = keyof ServerLimitsJson;

/** `error.limit` of a refusal: the limit and its value. */
export const LimitInfoSchema = z.object({ name: z.string(), max: z.number() });
export type LimitInfo = z.infer<typeof LimitInfoSchema>;
