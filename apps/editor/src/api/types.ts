/**
 * Shapes of the runtime's public HTTP/WS API as the editor reads them (see the team BRIEF and docs/api.md).
 * Plain types, no zod at run time: the server validates, the editor only reads.
 */
export interface ParamHint {
  widget:
    | 'number' | 'slider' | 'seed' | 'choice' | 'toggle' | 'text' | 'multiline'
    | 'image-upload' | 'audio-upload' | 'file-upload' | 'model' | 'camera-path' | 'json';
  label?: string;
  description?: string;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  choices?: string[];
  multiline?: boolean;
  placeholder?: string;
  socket?: string;
  modelKind?: string;
  accept?: string;
  advanced?: boolean;
}

export interface NodeSchema {
  type: string;
  category: string;
  title: string;
  description?: string;
  version: number;
  isOutput?: boolean;
  inputs: { name: string; type: string; optional?: boolean; description?: string }[];
  outputs: { name: string; type: string; description?: string }[];
  params: { name: string; hint: ParamHint; schema?: unknown; default?: unknown }[];
}

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

export interface GraphIssue { code: string; message: string; nodeId?: string; field?: string; severity?: 'error' | 'warning' }

export interface UiOutput {
  kind: string;
  filename?: string;
  folder?: 'output' | 'temp' | 'input';
  mime?: string;
  text?: string;
  url?: string;
  data?: Record<string, unknown>;
}

export type { RunStatus, RunSummary, QueueState, RunRecord } from '@kinegraph/runtime/protocol';
export interface ModelInfo { id?: string; name?: string; kind?: string; [k: string]: unknown }
export interface CacheStats { entries?: number; bytes?: number; maxBytes?: number; hits?: number; misses?: number; [k: string]: number | undefined }
export type { SystemInfo } from '@kinegraph/runtime/protocol';
export interface UploadResult { name: string; kind: string; mime: string; size: number; url: string; width?: number; height?: number }

/** Engine events and socket messages: the runtime's own schemas (one versioned protocol for server and editor). */
export type { WsEngineEvent as EngineEvent, WsMessage, PreviewFrame } from '@kinegraph/runtime/protocol';
