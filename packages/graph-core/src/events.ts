import { z } from 'zod';
import { ErrorLevelSchema, IssueSchema } from './errors.js';
import { UiOutputSchema } from './node-definition.js';

/**
 * The engine's event stream for one run. One schema per event; the runtime forwards these (adding
 * nothing but transport), the CLI prints them. Binary preview bytes travel in `preview.image.data`.
 */
const Base = { runId: z.string(), time: z.number() };

export const RunStartedEvent = z.object({
  type: z.literal('run_started'),
  ...Base,
  /** Nodes that will execute, in order. */
  toExecute: z.array(z.string()),
  /** Nodes whose results come from the cache. */
  cached: z.array(z.string()),
});
export const NodeStartedEvent = z.object({ type: z.literal('node_started'), ...Base, nodeId: z.string(), nodeType: z.string() });
export const NodeCachedEvent = z.object({
  type: z.literal('node_cached'),
  ...Base,
  nodeId: z.string(),
  nodeType: z.string(),
  /** Which tier answered: memory or a secondary (disk) tier. */
  tier: z.enum(['memory', 'disk']),
  ui: z.array(UiOutputSchema).default([]),
});
export const ProgressEvent = z.object({
  type: z.literal('progress'),
  ...Base,
  nodeId: z.string(),
  value: z.number(),
  max: z.number(),
});
export const PreviewEvent = z.object({
  type: z.literal('preview'),
  ...Base,
  nodeId: z.string(),
  image: z.object({
    mime: z.enum(['image/jpeg', 'image/webp', 'image/png']),
    data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes'),
    width: z.number().optional(),
    height: z.number().optional(),
  }),
});
export const NodeWarningEvent = z.object({
  type: z.literal('node_warning'),
  ...Base,
  nodeId: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export const NodeFinishedEvent = z.object({
  type: z.literal('node_finished'),
  ...Base,
  nodeId: z.string(),
  nodeType: z.string(),
  durationMs: z.number(),
  cached: z.boolean(),
  /** One short description per output ("IMAGE 1280x720"). */
  outputs: z.record(z.string(), z.string()),
  ui: z.array(UiOutputSchema).default([]),
});
export const NodeFailedEvent = z.object({
  type: z.literal('node_failed'),
  ...Base,
  nodeId: z.string(),
  nodeType: z.string(),
  error: IssueSchema.extend({ level: ErrorLevelSchema }),
});
export const RunFinishedEvent = z.object({
  type: z.literal('run_finished'),
  ...Base,
  durationMs: z.number(),
  executed: z.array(z.string()),
  cached: z.array(z.string()),
});
export const RunFailedEvent = z.object({ type: z.literal('run_failed'), ...Base, durationMs: z.number(), error: IssueSchema });
export const RunInterruptedEvent = z.object({
  type: z.literal('run_interrupted'),
  ...Base,
  durationMs: z.number(),
  nodeId: z.string().optional(),
});

export const EngineEventSchema = z.discriminatedUnion('type', [
  RunStartedEvent,
  NodeStartedEvent,
  NodeCachedEvent,
  ProgressEvent,
  PreviewEvent,
  NodeWarningEvent,
  NodeFinishedEvent,
  NodeFailedEvent,
  RunFinishedEvent,
  RunFailedEvent,
  RunInterruptedEvent,
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;
export type EventTypeName = EngineEvent['type'];
export type EngineEventOf<T extends EventTypeName> = Extract<EngineEvent, { type: T }>;
