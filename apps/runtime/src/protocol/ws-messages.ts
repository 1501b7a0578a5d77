import { z } from 'zod';
import { NodeStatusSchema } from '@kinegraph/graph-core';
import {
  NodeCachedEvent,
  NodeFailedEvent,
  NodeFinishedEvent,
  NodeStartedEvent,
  NodeWarningEvent,
  ProgressEvent,
  RunFailedEvent,
  RunFinishedEvent,
  RunInterruptedEvent,
  RunStartedEvent,
} from '@kinegraph/graph-core';
import { QueueStateSchema } from './queue.js';

/** Version of the WebSocket protocol; every JSON message carries it as `v`. */
export const WS_PROTOCOL_VERSION = 1;

/** Engine events as they travel on the socket: everything but previews (those go as binary frames). */
export const WsEngineEventSchema = z.discriminatedUnion('type', [
  RunStartedEvent,
  NodeStartedEvent,
  NodeCachedEvent,
  ProgressEvent,
  NodeWarningEvent,
  NodeFinishedEvent,
  NodeFailedEvent,
  RunFinishedEvent,
  RunFailedEvent,
  RunInterruptedEvent,
]);
export type WsEngineEvent = z.infer<typeof WsEngineEventSchema>;

/** graph-core's node status (a finished node is `executed`). */
export const NodeLiveStatusSchema = NodeStatusSchema;
export type NodeLiveStatus = z.infer<typeof NodeLiveStatusSchema>;

export const LiveProgressSchema = z.object({ runId: z.string(), nodeId: z.string(), value: z.number(), max: z.number() });

const V = z.literal(WS_PROTOCOL_VERSION);

/** Sent first on every connection (and so on every reconnect): where things stand now. */
export const SnapshotMessageSchema = z.object({
  v: V,
  type: z.literal('snapshot'),
  queue: QueueStateSchema,
  progress: LiveProgressSchema.nullable(),
  /** States of the running run's nodes (empty when idle). */
  nodeStates: z.record(z.string(), NodeLiveStatusSchema),
});
export const EventMessageSchema = z.object({ v: V, type: z.literal('event'), event: WsEngineEventSchema });
export const QueueMessageSchema = z.object({ v: V, type: z.literal('queue'), queue: QueueStateSchema });

export const WsMessageSchema = z.discriminatedUnion('type', [SnapshotMessageSchema, EventMessageSchema, QueueMessageSchema]);
export type WsMessage = z.infer<typeof WsMessageSchema>;
export type SnapshotMessage = z.infer<typeof SnapshotMessageSchema>;
export type EventMessage = z.infer<typeof EventMessageSchema>;
export type QueueMessage = z.infer<typeof QueueMessageSchema>;

/** Parses one text frame; throws a ZodError on anything that is not a known message. */
export function parseWsMessage(text: string): WsMessage {
  return WsMessageSchema.parse(JSON.parse(text));
}
