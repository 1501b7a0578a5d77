import { z } from 'zod';
import {
  ModelsResponseSchema,
  NodesResponseSchema,
  WorkflowFromFileResponseSchema,
  WorkflowListSchema,
  WorkflowNameSchema,
} from './catalog.js';
import { UploadQuerySchema, UploadResponseSchema } from './files.js';
import { GridBodySchema, GridResponseSchema } from './grid.js';
import { ServerLimitsSchema } from './limits.js';
import { CancelResponseSchema, HistoryPageSchema, HistoryQuerySchema, PausedResponseSchema, QueueStateSchema } from './queue.js';
import {
  InterruptBodySchema,
  InterruptResponseSchema,
  RunIdSchema,
  RunRecordSchema,
  SubmitRunBodySchema,
  SubmitRunResponseSchema,
} from './runs.js';
import { CacheFreeQuerySchema, CacheFreeResponseSchema, SystemInfoSchema } from './system.js';

/**
 * One HTTP route of the public API: the server registers its handler against this (parsing params, query
 * and body with these schemas) and the editor's client is built from it (parsing each answer with
 * `response`). `body: 'binary'`: the raw request body is a file, streamed by the handler.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** What the request is, in error messages ("Invalid run request: ..."). */
  what: string;
  params?: Record<string, z.ZodType>;
  query?: z.ZodType;
  body?: z.ZodType | 'binary';
  response: z.ZodType;
  /** Status of a successful answer (default 200). */
  status?: number;
}

const route = <const R extends RouteDef>(r: R): R => r;

/** A stored workflow file as it is (the editor migrates and normalises what it opens). */
export const WorkflowFileSchema = z.unknown();
export const DeletedResponseSchema = z.object({ deleted: z.string() });

/** Every JSON route of the API (GET /files/:folder/:name streams files and is a plain URL, see fileUrl). */
export const routes = {
  nodes: route({ method: 'GET', path: '/api/nodes', what: 'node list', response: NodesResponseSchema }),
  models: route({ method: 'GET', path: '/api/models', what: 'model list', response: ModelsResponseSchema }),
  workflows: route({ method: 'GET', path: '/api/workflows', what: 'workflow list', response: WorkflowListSchema }),
  workflow: route({
    method: 'GET',
    path: '/api/workflows/:name',
    what: 'workflow',
    params: { name: WorkflowNameSchema },
    response: WorkflowFileSchema,
  }),
  workflowFromFile: route({
    method: 'POST',
    path: '/api/workflow-from-file',
    what: 'workflow file',
    body: 'binary',
    response: WorkflowFromFileResponseSchema,
  }),
  submitRun: route({
    method: 'POST',
    path: '/api/runs',
    what: 'run request',
    body: SubmitRunBodySchema,
    response: SubmitRunResponseSchema,
    status: 201,
  }),
  queue: route({ method: 'GET', path: '/api/queue', what: 'queue', response: QueueStateSchema }),
  pause: route({ method: 'POST', path: '/api/queue/pause', what: 'pause', response: PausedResponseSchema }),
  resume: route({ method: 'POST', path: '/api/queue/resume', what: 'resume', response: PausedResponseSchema }),
  cancel: route({
    method: 'DELETE',
    path: '/api/queue/:runId',
    what: 'cancel',
    params: { runId: RunIdSchema },
    response: CancelResponseSchema,
  }),
  interrupt: route({
    method: 'POST',
    path: '/api/interrupt',
    what: 'interrupt request',
    body: InterruptBodySchema,
    response: InterruptResponseSchema,
  }),
  history: route({ method: 'GET', path: '/api/history', what: 'history query', query: HistoryQuerySchema, response: HistoryPageSchema }),
  run: route({ method: 'GET', path: '/api/history/:runId', what: 'run', params: { runId: RunIdSchema }, response: RunRecordSchema }),
  deleteRun: route({
    method: 'DELETE',
    path: '/api/history/:runId',
    what: 'run',
    params: { runId: RunIdSchema },
    response: DeletedResponseSchema,
  }),
  upload: route({
    method: 'POST',
    path: '/api/uploads',
    what: 'upload query',
    query: UploadQuerySchema,
    body: 'binary',
    response: UploadResponseSchema,
    status: 201,
  }),
  system: route({ method: 'GET', path: '/api/system', what: 'system', response: SystemInfoSchema }),
  limits: route({ method: 'GET', path: '/api/limits', what: 'limits', response: ServerLimitsSchema }),
  grid: route({
    method: 'POST',
    path: '/api/grids',
    what: 'grid request',
    body: GridBodySchema,
    response: GridResponseSchema,
    status: 201,
  }),
  freeCache: route({
    method: 'POST',
    path: '/api/cache/free',
    what: 'cache query',
    query: CacheFreeQuerySchema,
    response: CacheFreeResponseSchema,
  }),
} as const;
export type Routes = typeof routes;
export type RouteName = keyof Routes;

/** A route's path with its `:params` filled in (each encoded). */
export function routePath(r: RouteDef, params: Record<string, string> = {}): string {
  return r.path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${r.path} needs :${name}`);
    return encodeURIComponent(v);
  });
}

/** Paths whose request body is a raw file (the JSON parser must leave them alone). */
export const binaryBodyPaths = Object.values(routes as Record<string, RouteDef>)
  .filter((r) => r.body === 'binary')
  .map((r) => r.path);
