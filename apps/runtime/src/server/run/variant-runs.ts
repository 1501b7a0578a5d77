import path from 'node:path';
import {
  applyVariant,
  ErrorCode,
  expandVariants,
  parseEach,
  parseSweep,
  variantLabel,
  VariantSyntaxError,
  type GraphIssue,
  type NodeRegistry,
  type VariantAxis,
} from '@kinegraph/graph-core';
import { expandGlob } from '../../cli/glob.js';
import type { PreparedRun, PrepareResult } from './prepare-run.js';

/** A sweep as text (`node.param=1..8`) or as its values (`{ param: "node.param", values }`). */
export type SweepRequest = string | { param: string; values: Array<string | number> };

export interface VariantRequest {
  workflow: unknown;
  sweep?: SweepRequest[];
  each?: string[];
  zip?: boolean;
}

export type VariantPrepared =
  | { ok: true; runs: Array<PreparedRun & { variant?: Record<string, unknown>; label?: string }> }
  | { ok: false; issues: GraphIssue[]; omittedIssues?: number };

const requestIssue = (field: string, message: string): GraphIssue => ({ code: ErrorCode.invalidDocument, field, message });

/** A sweep's axis: parsed as `--sweep` parses it, or its values taken as given (the key split as `--sweep` does). */
function sweepAxis(s: SweepRequest): VariantAxis {
  if (typeof s === 'string') return parseSweep(s);
  const { nodeId, param } = parseSweep(`${s.param}=x`);
  return { nodeId, param, kind: 'sweep', values: s.values };
}

/** How many variants the sweeps alone make (for the body's size check before any file is listed); 1 on bad syntax. */
export function sweepCount(body: { sweep?: SweepRequest[]; zip?: boolean }): number {
  try {
    return expandVariants((body.sweep ?? []).map(sweepAxis), { zip: body.zip }).length;
  } catch {
    return 1;
  }
}

/**
 * The request's sweep/each as variants, each checked and resolved by `prepare` (the one pre-run check) before
 * anything is queued. --each patterns match files of the input folder only (no absolute paths, no '..').
 */
export async function prepareVariantRuns(
  body: VariantRequest,
  registry: NodeRegistry,
  inputDir: string | undefined,
  prepare: (doc: unknown) => Promise<PrepareResult>,
): Promise<VariantPrepared> {
  if (!body.sweep?.length && !body.each?.length) return prepare(body.workflow);
  const axes: VariantAxis[] = [];
  try {
    for (const text of body.each ?? []) {
      const e = parseEach(text);
      if (path.isAbsolute(e.pattern) || e.pattern.split(/[\\/]/).includes('..') || !inputDir) {
        return {
          ok: false,
          issues: [requestIssue('each', `each "${text}": the pattern names files inside the input folder (no absolute path, no "..")`)],
        };
      }
      const files = (await expandGlob(e.pattern, inputDir)).map((f) => path.relative(inputDir, f).split(path.sep).join('/'));
      if (!files.length)
        return { ok: false, issues: [requestIssue('each', `each "${text}": no file of the input folder matches ${e.pattern}`)] };
      axes.push({ nodeId: e.nodeId, param: e.param, kind: 'each', values: files });
    }
    for (const s of body.sweep ?? []) axes.push(sweepAxis(s));
  } catch (err) {
    if (err instanceof VariantSyntaxError) return { ok: false, issues: [requestIssue('sweep', err.message.replace(/^--/, ''))] };
    throw err;
  }
  let variants;
  try {
    variants = expandVariants(axes, { zip: body.zip });
  } catch (err) {
    if (err instanceof VariantSyntaxError) return { ok: false, issues: [requestIssue('sweep', err.message.replace(/^--/, ''))] };
    throw err;
  }
  const runs: Array<PreparedRun & { variant?: Record<string, unknown>; label?: string }> = [];
  for (const v of variants) {
    const applied = applyVariant(body.workflow, v, registry);
    if (applied.problems.length)
      return { ok: false, issues: applied.problems.map((p) => ({ ...p, message: p.message.replace(/^--/, '') })) };
    const prepared = await prepare(applied.doc);
    // The first variant that fails names itself: the others would mostly repeat the same problems.
    if (!prepared.ok) return { ...prepared, issues: prepared.issues.map((i) => ({ ...i, message: `${variantLabel(v)}: ${i.message}` })) };
    for (const r of prepared.runs) runs.push({ ...r, variant: applied.params, label: variantLabel(v) });
  }
  return { ok: true, runs };
}
