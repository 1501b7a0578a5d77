/**
 * Shapes of the runtime's public HTTP/WS API as the editor reads them (see the team BRIEF and docs/api.md).
 * Where the runtime's protocol (`@kinegraph/runtime/protocol`) has the shape, it is used as is; the document
 * types below are the editor's view of graph-core's workflow (ui always present, editor-only ui fields named).
 */
import type { UiOutput as CoreUiOutput } from '@kinegraph/graph-core';

/** Node types as GET /api/nodes describes them, and their widget hints: graph-core's and the runtime's own types. */
export type { ParamHint } from '@kinegraph/graph-core';
export type { NodeSchemaJson as NodeSchema, ModelInfoJson as ModelInfo, UploadResponse as UploadResult, Issue as GraphIssue, CacheStats } from '@kinegraph/runtime/protocol';

export type Link = [string, string];

export interface WorkflowNode {
  type: string;
  version?: number;
  params: Record<string, unknown>;
  inputs: Record<string, Link>;
  [k: string]: unknown;
}

export interface NodeUi {
  x: number;
  y: number;
  width?: number;
  height?: number;
  title?: string;
  color?: string;
  collapsed?: boolean;
  /** Params shown as input sockets (editor-only; a linked param is a socket anyway). */
  sockets?: string[];
  /** Seed behaviour after a run, per seed param. */
  seedMode?: Record<string, SeedMode>;
  [k: string]: unknown;
}
export type SeedMode = 'fixed' | 'increment' | 'randomize';

export interface Group { id: string; title: string; x: number; y: number; width: number; height: number; color?: string }
export interface Note { id: string; text: string; x: number; y: number; width?: number; height?: number }

export interface Workflow {
  format: 'kinegraph.workflow';
  version: 1;
  nodes: Record<string, WorkflowNode>;
  ui: { nodes: Record<string, NodeUi>; groups: Group[]; notes: Note[]; viewport?: { x: number; y: number; zoom: number } };
  meta?: { name?: string; description?: string; [k: string]: unknown };
  [k: string]: unknown;
}


/** What an output node shows, as the server sends it: with the file's URL. */
export type UiOutput = CoreUiOutput & { url?: string };

export type { RunStatus, RunSummary, QueueState, RunRecord } from '@kinegraph/runtime/protocol';
export type { SystemInfo } from '@kinegraph/runtime/protocol';

/** Engine events and socket messages: the runtime's own schemas (one versioned protocol for server and editor). */
export type { WsEngineEvent as EngineEvent, WsMessage, PreviewFrame } from '@kinegraph/runtime/protocol';
