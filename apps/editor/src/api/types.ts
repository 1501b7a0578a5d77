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

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'cancelled';
export interface RunSummary { runId: string; status: RunStatus; createdAt: string | number; startedAt?: string | number; finishedAt?: string | number; durationMs?: number; title?: string }
export interface QueueState { paused: boolean; running: RunSummary | null; pending: RunSummary[] }
export interface RunRecord extends RunSummary {
  workflow: Workflow;
  nodes: Record<string, { status: 'executed' | 'cached' | 'failed' | 'skipped'; durationMs?: number; tier?: string }>;
  outputs: { nodeId: string; kind: string; filename: string; folder: string; mime: string; url: string }[];
  error?: GraphIssue;
}

export interface ModelInfo { id?: string; name?: string; kind?: string; [k: string]: unknown }
export interface CacheStats { entries?: number; bytes?: number; maxBytes?: number; hits?: number; misses?: number; [k: string]: number | undefined }
export interface SystemInfo {
  version: string;
  platform: string;
  cpu: { model: string; cores: number };
  memory: { total: number; free: number; rss: number };
  device: { requested: string; active: string; providers: string[] };
  cache: { memory: CacheStats; disk: CacheStats };
}
export interface UploadResult { name: string; kind: string; mime: string; size: number; url: string; width?: number; height?: number }

/** Engine events as forwarded over /ws (preview bytes travel as binary frames instead). */
export type EngineEvent =
  | { type: 'run_started'; runId: string; time: number; toExecute: string[]; cached: string[] }
  | { type: 'node_started'; runId: string; time: number; nodeId: string; nodeType: string }
  | { type: 'node_cached'; runId: string; time: number; nodeId: string; nodeType: string; tier: string; ui?: UiOutput[] }
  | { type: 'progress'; runId: string; time: number; nodeId: string; value: number; max: number }
  | { type: 'node_warning'; runId: string; time: number; nodeId: string; message: string; field?: string }
  | { type: 'node_finished'; runId: string; time: number; nodeId: string; nodeType: string; durationMs: number; cached: boolean; outputs: Record<string, string>; ui?: UiOutput[] }
  | { type: 'node_failed'; runId: string; time: number; nodeId: string; nodeType: string; error: GraphIssue & { level?: string } }
  | { type: 'run_finished'; runId: string; time: number; durationMs: number; executed: string[]; cached: string[] }
  | { type: 'run_failed'; runId: string; time: number; durationMs: number; error: GraphIssue }
  | { type: 'run_interrupted'; runId: string; time: number; durationMs: number; nodeId?: string };

export type WsMessage =
  | { v: 1; type: 'snapshot'; queue: QueueState; progress: { runId: string; nodeId: string; value: number; max: number } | null; nodeStates: Record<string, string> }
  | { v: 1; type: 'event'; event: EngineEvent }
  | { v: 1; type: 'queue'; queue: QueueState };

export interface PreviewFrame { runId: string; nodeId: string; width?: number; height?: number; mime: string; bytes: Uint8Array }
