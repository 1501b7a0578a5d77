/**
 * Shapes of the runtime's public HTTP/WS API as the editor reads them (see the team BRIEF and docs/api.md).
 * Where the runtime's protocol (`@kinegraph/runtime/protocol`) has the shape, it is used as is; the document
 * types below are the editor's view of graph-core's workflow (ui always present, editor-only ui fields named).
 */
import type { UiOutput as CoreUiOutput, Workflow as CoreWorkflow, WorkflowUi } from '@kinegraph/graph-core';

/** Node types as GET /api/nodes describes them, and their widget hints: graph-core's and the runtime's own types. */
export type { ParamHint } from '@kinegraph/graph-core';
export type {
  NodeSchemaJson as NodeSchema,
  ModelInfoJson as ModelInfo,
  UploadResponse as UploadResult,
  Issue as GraphIssue,
  CacheStats,
} from '@kinegraph/runtime/protocol';

/**
 * The workflow document: graph-core's schema is the one source. The editor's documents always carry `ui`
 * (its defaults fill in when a document is read), so the editor's view makes it required.
 */
export type { Link, WorkflowNode, NodeUi, SeedMode } from '@kinegraph/graph-core';
export type Workflow = CoreWorkflow & { ui: WorkflowUi };
export type Group = WorkflowUi['groups'][number];
export type Note = WorkflowUi['notes'][number];

/** What an output node shows, as the server sends it: with the file's URL. */
export type UiOutput = CoreUiOutput & { url?: string };

export type { RunStatus, RunSummary, QueueState, RunRecord } from '@kinegraph/runtime/protocol';
export type { SystemInfo } from '@kinegraph/runtime/protocol';

/** Engine events and socket messages: the runtime's own schemas (one versioned protocol for server and editor). */
export type { WsEngineEvent as EngineEvent, WsMessage, PreviewFrame } from '@kinegraph/runtime/protocol';
