import { z } from 'zod';
import { WS_PROTOCOL_VERSION } from './ws-messages.js';

/**
 * Live motion preview over /ws. A tab opens a session for one Denoise node of the workflow it shows; the
 * server renders small frames of that scene from the cached encode and sends them as binary preview frames
 * (preview-frame.ts, header.preview says which session, edit and frame). Each `preview_open` replaces the
 * session's workflow (an edit): frames of the previous one stop at once. Sessions end with the connection.
 */
const V = z.literal(WS_PROTOCOL_VERSION);
const SessionId = z.string().min(1).max(64);

export const PREVIEW_WIDTH = { min: 160, max: 640, default: 384 } as const;

export const PreviewOpenSchema = z.object({
  v: V,
  type: z.literal('preview_open'),
  session: SessionId,
  /** The workflow as the tab has it now (checked like a run's). */
  workflow: z.unknown(),
  /** The Denoise node whose motion to preview. */
  nodeId: z.string().min(1).max(128),
  width: z.number().int().min(PREVIEW_WIDTH.min).max(PREVIEW_WIDTH.max).default(PREVIEW_WIDTH.default),
  /** Where to start, in frames of the clip; play on from there or hold it. */
  frame: z.number().min(0).default(0),
  playing: z.boolean().default(true),
});

/** Scrubbing and play/pause: no new render setup, only which frames to send. */
export const PreviewSeekSchema = z.object({
  v: V,
  type: z.literal('preview_seek'),
  session: SessionId,
  frame: z.number().min(0),
  playing: z.boolean(),
});

export const PreviewCloseSchema = z.object({ v: V, type: z.literal('preview_close'), session: SessionId });

/** Every message a tab may send on /ws. */
export const WsClientMessageSchema = z.discriminatedUnion('type', [PreviewOpenSchema, PreviewSeekSchema, PreviewCloseSchema]);
export type WsClientMessage = z.input<typeof WsClientMessageSchema>;
export type PreviewOpen = z.output<typeof PreviewOpenSchema>;

/** The server's word on a session: setting up, ready (what it will play), or why it can not preview. */
export const PreviewStateSchema = z.object({
  v: V,
  type: z.literal('preview_state'),
  session: SessionId,
  /** Counts the session's `preview_open` messages: frames and states of older edits are stale. */
  generation: z.number().int(),
  status: z.enum(['preparing', 'ready', 'failed']),
  frames: z.number().int().optional(),
  fps: z.number().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  warnings: z.array(z.string()).optional(),
  message: z.string().optional(),
  /** The node and field a failure is about. */
  nodeId: z.string().optional(),
  field: z.string().optional(),
  /** Time from the edit's arrival to the render being ready, ms. */
  prepareMs: z.number().optional(),
});
export type PreviewState = z.infer<typeof PreviewStateSchema>;

/** Parses a text frame as a preview state, or undefined when it is another message. */
export function parsePreviewState(text: string): PreviewState | undefined {
  const r = PreviewStateSchema.safeParse(JSON.parse(text));
  return r.success ? r.data : undefined;
}
