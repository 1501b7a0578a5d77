import { z } from 'zod';
import { RunIdSchema, RunOutputSchema } from './runs.js';

/**
 * POST /api/grids: a contact grid of finished runs of one sweep, as `kinegraph run --grid` writes it (same code):
 * a labelled PNG of each run's first, middle and last frame, and an MP4 playing every run in sync when they are
 * clips. Rows and columns come from the runs' `variant` values.
 */
export const GridBodySchema = z.object({
  /** The variants, in sweep order (the submit answer's order). */
  runIds: z.array(RunIdSchema).min(1).max(1000),
});
export type GridBody = z.infer<typeof GridBodySchema>;

export const GridResponseSchema = z.object({
  /** The grid picture first, then the grid video (when the runs wrote clips); files of the output folder. */
  outputs: z.array(RunOutputSchema),
});
export type GridResponse = z.infer<typeof GridResponseSchema>;
