import { z } from 'zod';
import { ErrorLevelSchema, IssueSchema } from './errors.js';
import { UiOutputSchema } from './node-definition.js';

/**
 * The engine's event stream for one run. One schema per event; the runtime forwards these (adding
 * nothing but transport), the CLI prints them. Binary preview bytes travel in `preview.image.data`.
 */
export const EventType = {
  runStarted: 'run_started',
  nodeStarted: 'node_started',
  nodeCached: 'node_cached',
  progress: 'progress',
  preview: 'preview',
  nodeWarning: 'node_warning',
  nodeFinished: 'node_finished',
  nodeFailed: 'node_failed',
  runFinished: 'run_finished',
  runFailed: 'run_failed',
  runInterrupted: 'run_interrupted',
} as const;
export type EventTypeName = (typeof EventType)[keyof typeof EventType];

const Base = { runId: z.string(), time: z.number() };

export const RunStartedEvent = z.object({
  type: z.literal(EventType.runStarted),
  ...Base,
  /** Nodes that will execute, in order. */
  toExecute: z.array(z.string()),
  /** Nodes whose results come from the cache. */
  cached: z.array(z.string()),
});
export const NodeStartedEvent = z.object({ type: z.literal(EventType.nodeStarted), ...Base, nodeId: z.string(), nodeType: z.string() });
export const NodeCachedEvent = z.object({
  type: z.literal(EventType.nodeCached),
  ...Base,
  nodeId: z.string(),
  nodeType: z.string(),
  /** Which tier answered: memory or a secondary (disk) tier. */
  tier: z.enum(['memory', 'disk']),
  ui: z.array(UiOutputSchema).default([]),
});
export const ProgressEvent = z.object({
  type: z.literal(EventType.progress),
  ...Base,
  nodeId: z.string(),
  value: z.number(),
  max: z.number(),
});
export const PreviewEvent = z.object({
  type: z.literal(EventType.preview),
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
  type: z.literal(EventType.nodeWarning),
  ...Base,
  nodeId: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export const NodeFinishedEvent = z.object({
  type: z.literal(EventType.nodeFinished),
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
  type: z.literal(EventType.nodeFailed),
  ...Base,
  nodeId: z.string(),
  nodeType: z.string(),
  error: IssueSchema.extend({ level: ErrorLevelSchema }),
});
export const RunFinishedEvent = z.object({
  type: z.literal(EventType.runFinished),
  ...Base,
  durationMs: z.number(),
  executed: z.array(z.string()),
  cached: z.array(z.string()),
});
export const RunFailedEvent = z.object({ type: z.literal(EventType.runFailed), ...Base, durationMs: z.number(), error: IssueSchema });
export const RunInterruptedEvent = z.object({
  type: z.literal(EventType.runInterrupted),
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
export type EngineEventOf<T extends EventTypeName> = Extract<EngineEvent, { type: T }>;
