import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { describeNode, migrateWorkflow, WorkflowSchema } from '@kinegraph/graph-core';
import { readEmbeddedWorkflow } from '@kinegraph/nodes';
import { routes, WorkflowNameSchema } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { receiveUpload } from '../files/receive-upload.js';
import { HttpError } from '../http-error.js';
import { ANSWERED, onRoute } from '../http/on-route.js';

/** What the editor builds itself from: node types, models, example workflows; and reading a workflow out of a file. */
export function catalogRoutes(ctx: ServerContext): Router {
  const r = Router();
  // Node types never change while the server runs: describe them once.
  const nodes = ctx.registry.list().map(describeNode);

  onRoute(r, routes.nodes, () => ({ nodes }));

  onRoute(r, routes.models, async () => ({ models: await ctx.services.models.list() }));

  onRoute(r, routes.workflows, async () => {
    let files: string[] = [];
    try {
      files = (await readdir(ctx.dirs.workflows)).filter((f) => f.endsWith('.json')).sort();
    } catch {
      files = [];
    }
    const workflows = [];
    for (const f of files) {
      const name = f.slice(0, -'.json'.length);
      if (!WorkflowNameSchema.safeParse(name).success) continue;
      let title = name;
      try {
        const doc = JSON.parse(await readFile(path.join(ctx.dirs.workflows, f), 'utf8')) as { meta?: { name?: unknown } };
        if (typeof doc.meta?.name === 'string') title = doc.meta.name;
      } catch {
        continue; // not a workflow document
      }
      workflows.push({ name, title });
    }
    return { workflows };
  });

  onRoute(r, routes.workflow, async ({ params: { name }, res }) => {
    let text: string;
    try {
      text = await readFile(path.join(ctx.dirs.workflows, `${name}.json`), 'utf8');
    } catch {
      throw new HttpError(404, 'not_found', `No workflow "${name}"`);
    }
    // Sent as stored, byte for byte.
    res.type('application/json').send(text);
    return ANSWERED;
  });

  onRoute(r, routes.workflowFromFile, async ({ req }) => {
    // Streamed to a private temp file, never buffered whole (a 500 MB video is read from disk by ffprobe).
    const up = await receiveUpload(req, { dir: ctx.dirs.temp, maxBytes: ctx.limits.maxUploadBytes });
    let doc: unknown;
    try {
      if (up.size === 0) throw new HttpError(400, 'bad_request', 'The body is empty');
      if (looksLikeJson(up.head)) {
        if (up.size > ctx.limits.maxJsonBytes) {
          throw new HttpError(
            413,
            'payload_too_large',
            `A workflow JSON file is limited to ${ctx.limits.maxJsonBytes} bytes (maxJsonBytes)`,
            undefined,
            { limit: { name: 'maxJsonBytes', max: ctx.limits.maxJsonBytes } },
          );
        }
        doc = parseJson(await readFile(up.tempFile));
      } else {
        doc = await readEmbeddedWorkflow(up.tempFile).catch(() => undefined);
      }
    } finally {
      await up.discard();
    }
    if (doc === undefined) throw new HttpError(422, 'no_workflow', 'The file carries no Kinegraph workflow');
    const migrated = migrateWorkflow(doc);
    const ok = WorkflowSchema.safeParse(migrated);
    if (!ok.success) throw new HttpError(422, 'no_workflow', 'The file carries something that is not a Kinegraph workflow');
    return { workflow: migrated as Record<string, unknown> };
  });

  return r;
}

function looksLikeJson(body: Buffer): boolean {
  const first = body.subarray(0, 64).toString('utf8').trimStart()[0];
  return first === '{';
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, 'bad_request', `Not valid JSON: ${(e as Error).message}`);
  }
}
