import { rename } from 'node:fs/promises';
import { z } from 'zod';
import { RunRecordSchema, RunSummarySchema, type RunRecord } from '../../protocol/index.js';
import { readJsonFile } from './json-file.js';

/** queue.json now: the order and the paused flag (the runs themselves are in `queue/<runId>.json`). */
const QueueFileV2Schema = z.object({
  version: z.literal(2),
  paused: z.boolean(),
  running: RunSummarySchema.nullable(),
  pending: z.array(RunSummarySchema),
});
export type QueueFileV2 = z.infer<typeof QueueFileV2Schema>;

/** What earlier versions wrote: whole records in one file. */
const QueueFileV1Schema = z.object({
  version: z.literal(1),
  paused: z.boolean(),
  running: RunRecordSchema.nullable(),
  pending: z.array(RunRecordSchema),
});

export interface QueueIndex {
  paused: boolean;
  /** Run ids, the running one first. */
  order: string[];
  /** Version 1 only: the records it held, to be written to their own files. */
  records: RunRecord[];
}

/**
 * Reads queue.json (either version). An unreadable one is moved aside for the user and the queue is rebuilt
 * from the runs' own files, so nothing is lost with it.
 */
export async function readQueueFile(file: string, log: (msg: string) => void): Promise<QueueIndex | undefined> {
  try {
    const q = await readJsonFile(file, z.union([QueueFileV2Schema, QueueFileV1Schema]));
    if (!q) return undefined;
    if (q.version === 2)
      return { paused: q.paused, order: [...(q.running ? [q.running.runId] : []), ...q.pending.map((r) => r.runId)], records: [] };
    const records = [...(q.running ? [q.running] : []), ...q.pending];
    return { paused: q.paused, order: records.map((r) => r.runId), records };
  } catch (e) {
    const aside = `${file}.unreadable-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    log(`queue file was unreadable (${(e as Error).message}); moved to ${aside}, the queue is rebuilt from the runs' own files`);
    return undefined;
  }
}
