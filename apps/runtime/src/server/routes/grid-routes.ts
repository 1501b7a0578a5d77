import path from 'node:path';
import { Router } from 'express';
import { paramsWithRole, type Variant, type VariantSetting } from '@kinegraph/graph-core';
import { fileUrl, routes, type RunOutput, type RunRecord } from '../../protocol/index.js';
import { CliError } from '../../cli/exit-codes.js';
import { writeVariantGrid, type VariantResult } from '../../cli/variant-grid.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { onRoute } from '../http/on-route.js';

/** POST /api/grids: the contact grid of a sweep's runs, written by the command line's own `--grid` code. */
export function gridRoutes(ctx: ServerContext): Router {
  const r = Router();
  onRoute(r, routes.grid, async ({ body }) => {
    const results: VariantResult[] = [];
    for (const runId of body.runIds) {
      const rec = await ctx.runs.get(runId);
      if (!rec) throw new HttpError(404, 'not_found', `No run "${runId}"`);
      if (rec.status !== 'succeeded')
        throw new HttpError(400, 'bad_request', `Run "${runId}" is ${rec.status}: a grid takes finished, succeeded runs`);
      const files = rec.outputs
        .filter((o) => o.folder === 'output')
        .map((o) => insideOutput(ctx.dirs.output, o.filename))
        .filter((f) => f !== undefined);
      results.push({ variant: variantOf(rec, ctx), files });
    }
    const name = `grid_${body.runIds[0]}.png`;
    let written: string[];
    try {
      written = await writeVariantGrid(path.join(ctx.dirs.output, name), results);
    } catch (err) {
      // The grid code speaks to a terminal (CliError): here the same message is the request's problem.
      if (err instanceof CliError) throw new HttpError(400, 'bad_request', err.message.replace(/^--grid:\s*/, 'grid: '));
      throw err;
    }
    const outputs: RunOutput[] = written.map((file) => {
      const filename = path.basename(file);
      const video = filename.endsWith('.mp4');
      return {
        nodeId: 'grid',
        kind: video ? 'video' : 'image',
        filename,
        folder: 'output',
        mime: video ? 'video/mp4' : 'image/png',
        url: fileUrl('output', filename),
      };
    });
    return ctx.urls.withSignedOutputs({ outputs });
  });
  return r;
}

/** An output file's path, only when it stays inside the output folder. */
function insideOutput(dir: string, filename: string): string | undefined {
  const file = path.resolve(dir, filename);
  return file.startsWith(dir + path.sep) ? file : undefined;
}

/** The run's variant values as the grid code takes them: a file parameter's value is labelled by its base name. */
function variantOf(rec: RunRecord, ctx: ServerContext): Variant {
  const nodes = (rec.workflow.nodes ?? {}) as Record<string, { type?: string }>;
  const settings: VariantSetting[] = Object.entries(rec.variant ?? {}).map(([key, value]) => {
    const dot = key.lastIndexOf('.');
    const nodeId = key.slice(0, dot);
    const param = key.slice(dot + 1);
    const def = ctx.registry.get(nodes[nodeId]?.type ?? '');
    const kind = def && paramsWithRole(def.params, 'file').includes(param) ? 'each' : 'sweep';
    return { nodeId, param, kind, value: typeof value === 'number' ? value : String(value) };
  });
  return { index: 0, settings };
}
