import { paramsWithRole, ParamRole, type GraphIssue, type NodeRegistry, type Services, type Workflow } from '@kinegraph/graph-core';
import { PathsToken } from '@kinegraph/nodes';
import { withInputFolders } from '../files/input-folders.js';
import { checkWorkflow } from './check-workflow.js';

export interface PreparedRun {
  /** Every parameter concrete (defaults filled in, batch seeds applied): exactly what will run. */
  workflow: Workflow;
  inputHashes: Record<string, string>;
  nodeVersions: Record<string, number>;
  models: Record<string, string>;
}

export type PrepareResult = { ok: true; runs: PreparedRun[] } | { ok: false; issues: GraphIssue[]; omittedIssues?: number };

const SEED_SPACE = Number.MAX_SAFE_INTEGER + 1;

/**
 * Checks a submitted document (the same check as `kinegraph validate` and `run`) and resolves it into run
 * records' contents, before anything is queued: every problem is reported at once (per node and field),
 * input files are hashed and models looked up, so a queued run is reproducible from its record alone.
 */
export async function prepareRuns(
  doc: unknown,
  opts: {
    registry: NodeRegistry;
    services: Services;
    hashFile: (ref: string) => Promise<string>;
    batch: number;
    targets?: string[];
    force?: string[];
  },
): Promise<PrepareResult> {
  const checked = await checkWorkflow(doc, opts);
  if (!checked.ok) return { ok: false, issues: checked.issues, omittedIssues: checked.omittedIssues };
  const { inputHashes, nodeVersions, models } = checked;
  // The server reads inputs from its input folder only; the files it writes say so, for `kinegraph run <file>`.
  const paths = opts.services.has(PathsToken) ? opts.services.get(PathsToken) : undefined;
  const base = paths
    ? withInputFolders(checked.workflow, Object.keys(inputHashes).length ? [paths.inputDir] : [], paths.outputDir)
    : checked.workflow;

  const runs: PreparedRun[] = [];
  for (let i = 0; i < opts.batch; i++) {
    runs.push({ workflow: i === 0 ? base : offsetSeeds(base, opts.registry, i), inputHashes, nodeVersions, models });
  }
  return { ok: true, runs };
}

/** Batch run i gets every seed parameter plus i, so a batch of N gives N different results. */
function offsetSeeds(wf: Workflow, registry: NodeRegistry, i: number): Workflow {
  const out = structuredClone(wf);
  for (const node of Object.values(out.nodes)) {
    const def = registry.get(node.type);
    if (!def) continue;
    for (const name of paramsWithRole(def.params, ParamRole.seed)) {
      const v = node.params[name];
      if (typeof v === 'number') node.params[name] = (v + i) % SEED_SPACE;
    }
  }
  return out;
}
