import {
  ErrorCode,
  hintOf,
  migrateWorkflow,
  validateWorkflow,
  WidgetKind,
  type GraphIssue,
  type NodeDefinition,
  type NodeRegistry,
  type Services,
  type Workflow,
} from '@kinegraph/graph-core';
import { ModelRegistryToken } from '@kinegraph/nodes';

export interface PreparedRun {
  /** Every parameter concrete (defaults filled in, batch seeds applied): exactly what will run. */
  workflow: Workflow;
  inputHashes: Record<string, string>;
  nodeVersions: Record<string, number>;
  models: Record<string, string>;
}

export type PrepareResult = { ok: true; runs: PreparedRun[] } | { ok: false; issues: GraphIssue[] };

const SEED_SPACE = Number.MAX_SAFE_INTEGER + 1;

/**
 * Validates a submitted document and resolves it into run records' contents, before anything is queued:
 * every problem is reported at once (per node and field), input files are hashed and models looked up,
 * so a queued run is reproducible from its record alone.
 */
export async function prepareRuns(
  doc: unknown,
  opts: { registry: NodeRegistry; services: Services; hashFile: (ref: string) => Promise<string>; batch: number; targets?: string[]; force?: string[] },
): Promise<PrepareResult> {
  const checked = validateWorkflow(migrateWorkflow(doc), opts.registry);
  if (!checked.ok) return { ok: false, issues: checked.issues };
  // Validation already filled every parameter (defaults applied) and stamped each node's version.
  const base = checked.workflow;

  const issues: GraphIssue[] = [...whatWouldRun(base, opts.registry, opts.targets, opts.force)];
  const inputHashes: Record<string, string> = {};
  const nodeVersions: Record<string, number> = {};
  const models: Record<string, string> = {};
  const modelRegistry = opts.services.has(ModelRegistryToken) ? opts.services.get(ModelRegistryToken) : undefined;

  for (const [nodeId, node] of Object.entries(base.nodes)) {
    const def = opts.registry.get(node.type)!;
    nodeVersions[def.type] = def.version;
    if (def.cache === 'file' && def.fileRefs) {
      for (const ref of def.fileRefs(node.params as never)) {
        if (!ref) {
          // Refused now rather than queued to fail later: pressing Run before picking a photo.
          const field = emptyFileParam(def, node);
          if (field) issues.push({ code: 'invalid_param', nodeId, field, message: 'No file chosen' });
          continue;
        }
        try {
          inputHashes[ref] = await opts.hashFile(ref);
        } catch (e) {
          const field = Object.entries(node.params).find(([, v]) => v === ref)?.[0];
          issues.push({ code: 'invalid_param', nodeId, field, message: `Can not read input file "${ref}": ${shortError(e)}` });
        }
      }
    }
    for (const [name, schema] of Object.entries(def.params)) {
      if (hintOf(schema)?.widget !== 'model' || name in node.inputs) continue;
      const id = node.params[name];
      if (typeof id !== 'string' || !modelRegistry) continue;
      try {
        models[id] = (await modelRegistry.info(id)).hash;
      } catch (e) {
        issues.push({ code: 'invalid_param', nodeId, field: name, message: `Unknown model "${id}": ${shortError(e)}` });
      }
    }
  }
  if (issues.length) return { ok: false, issues };

  const runs: PreparedRun[] = [];
  for (let i = 0; i < opts.batch; i++) {
    runs.push({ workflow: i === 0 ? base : offsetSeeds(base, opts.registry, i), inputHashes, nodeVersions, models });
  }
  return { ok: true, runs };
}

/**
 * A run that could do nothing (no output node, or a target that is not in the workflow) is refused at
 * submit, like any other problem, instead of being queued to fail.
 */
function whatWouldRun(wf: Workflow, registry: NodeRegistry, targets: string[] | undefined, force: string[] | undefined): GraphIssue[] {
  const unknown = (ids: string[] | undefined, what: string) =>
    (ids ?? []).filter((t) => !Object.hasOwn(wf.nodes, t)).map((t) => ({ code: ErrorCode.unknownTarget, nodeId: t, message: `${what} "${t}" is not a node of the workflow` }));
  // A forced id that is no node would silently force nothing.
  const issues: GraphIssue[] = unknown(force, 'Forced node');
  if (targets?.length) return [...issues, ...unknown(targets, 'Target')];
  const hasOutput = Object.values(wf.nodes).some((n) => registry.get(n.type)?.isOutput);
  if (!hasOutput) issues.push({ code: ErrorCode.noOutputs, message: 'The workflow has no output node (such as SaveVideo or SaveImage), so nothing would run' });
  return issues;
}

const FILE_WIDGETS: ReadonlySet<string> = new Set([WidgetKind.imageUpload, WidgetKind.audioUpload, WidgetKind.fileUpload]);

/** The file parameter left empty and not fed by a link (a linked one gets its name at run time). */
function emptyFileParam(def: NodeDefinition, node: Workflow['nodes'][string]): string | undefined {
  return Object.entries(def.params).find(
    ([name, schema]) => FILE_WIDGETS.has(hintOf(schema)?.widget ?? '') && node.params[name] === '' && !(name in (node.inputs ?? {})),
  )?.[0];
}

/** Batch run i gets every seed parameter plus i, so a batch of N gives N different results. */
function offsetSeeds(wf: Workflow, registry: NodeRegistry, i: number): Workflow {
  const out = structuredClone(wf);
  for (const node of Object.values(out.nodes)) {
    const def = registry.get(node.type);
    if (!def) continue;
    for (const [name, schema] of Object.entries(def.params)) {
      const v = node.params[name];
      if (hintOf(schema)?.widget === 'seed' && typeof v === 'number') node.params[name] = (v + i) % SEED_SPACE;
    }
  }
  return out;
}

function shortError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
