import { EngineEventSchema, type EngineEvent } from '@kinegraph/graph-core';
import { z } from 'zod';
import { RunRecordSchema } from '../../../protocol/index.js';

/** Redis names shared by the server and the workers: one BullMQ queue, two pub/sub channels. */
export const QUEUE_NAME = 'runs';
export const KEY_PREFIX = 'kinegraph';
export const EVENTS_CHANNEL = `${KEY_PREFIX}:events`;
export const CONTROL_CHANNEL = `${KEY_PREFIX}:control`;

/** What a worker returns for a job: the run's final record and the event that announces its end. */
export const JobResultSchema = z.object({
  record: RunRecordSchema,
  terminal: z.record(z.string(), z.unknown()).optional(),
});
export type JobResult = z.infer<typeof JobResultSchema>;

/** Server → workers. */
export const ControlMessageSchema = z.object({ type: z.literal('interrupt'), runId: z.string().max(64) });
export type ControlMessage = z.infer<typeof ControlMessageSchema>;

/** Worker → server: one engine event of a run; a preview's picture travels as base64. */
const EventMessageSchema = z.object({ worker: z.string().max(256), event: z.record(z.string(), z.unknown()) });

export function encodeEvent(worker: string, e: EngineEvent): string {
  if (e.type === 'preview') {
    const image = { ...e.image, data: Buffer.from(e.image.data).toString('base64') };
    return JSON.stringify({ worker, event: { ...e, image } });
  }
  return JSON.stringify({ worker, event: e });
}

/** The event a worker published, checked like any engine event; undefined for a message that is not one. */
export function decodeEvent(text: string): { worker: string; event: EngineEvent } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const msg = EventMessageSchema.safeParse(json);
  if (!msg.success) return undefined;
  const raw = msg.data.event;
  const image = raw.image as { data?: unknown } | undefined;
  if (raw.type === 'preview' && typeof image?.data === 'string')
    raw.image = { ...image, data: new Uint8Array(Buffer.from(image.data, 'base64')) };
  const event = EngineEventSchema.safeParse(raw);
  return event.success ? { worker: msg.data.worker, event: event.data } : undefined;
}
