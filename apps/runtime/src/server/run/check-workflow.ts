import {
  ErrorCode,
  migrateWorkflow,
  unknownNodeIssues,
  ParamRole,
  paramsWithRole,
  UserError,
  validateWorkflow,
  type GraphIssue,
  type NodeDefinition,
  type NodeRegistry,
  type Services,
  type Workflow,
} from '@kinegraph/graph-core';
import { ModelRegistryToken } from '@kinegraph/nodes';

export interface CheckOptions {
  registry: NodeRegistry;
  services: Services;
  /** Content hash of an input file by its name in a parameter; throws when the file can not be read. */
  hashFile: (ref: string) => Promise<string>;
  targets?: string[];
  force?: string[];
}

/** What a run would use, proven readable: file name -> sha256, node type -> version, model id -> hash. */
export interface CheckedInputs {
  inputHashes: Record<string, string>;
  nodeVersions: Record<string, number>;
  models: Record<string, string>;
}

export type CheckResult =
  /** `workflow`: every parameter concrete (defaults filled in), exactly what will run; `issues`: warnings only. */
  | ({ ok: true; workflow: Workflow; issues: GraphIssue[] } & CheckedInputs)
  | ({ ok: false; workflow?: Workflow; issues: GraphIssue[]; omittedIssues?: number } & CheckedInputs);

/**
 * The one check before a run, used by `kinegraph validate`, `kinegraph run` and the server's submit, so
 * `validate` reports exactly what `run` would refuse: the document against the node types, that something
 * would run (an output node; targets and forced nodes that exist), every input file readable and every
 * model known. All problems at once, each tied to a node and field; nothing is executed.
 */
export async function checkWorkflow(doc: unknown, o: CheckOptions): Promise<CheckResult> {
  const migrated = migrateWorkflow(doc);
  const checked = validateWorkflow(migrated, o.registry);
  const issues: GraphIssue[] = [...checked.issues, ...whatWouldRun(migrated, o.registry, o.targets, o.force)];
  const found: CheckedInputs = { inputHashes: {}, nodeVersions: {}, models: {} };
  // Nodes that failed validation are left out here; the nodes that did resolve still get their files checked.
  if (checked.workflow) issues.push(...(await checkInputs(checked.workflow, o, found)));
  const ok = issues.every((i) => i.severity === 'warning');
  if (ok && checked.workflow) return { ok: true, workflow: checked.workflow, issues, ...found };
  return {
    ok: false,
    workflow: checked.workflow,
    issues,
    ...found,
    ...(checked.omittedIssues ? { omittedIssues: checked.omittedIssues } : {}),
  };
}

async function checkInputs(wf: Workflow, o: CheckOptions, found: CheckedInputs): Promise<GraphIssue[]> {
  const issues: GraphIssue[] = [];
  const modelRegistry = o.services.has(ModelRegistryToken) ? o.services.get(ModelRegistryToken) : undefined;
  for (const [nodeId, node] of Object.entries(wf.nodes)) {
    const def = o.registry.get(node.type);
    if (!def) continue;
    found.nodeVersions[def.type] = def.version;
    if (def.cache === 'file' && def.fileRefs) {
      for (const ref of def.fileRefs(node.params as never)) {
        if (!ref) {
          // Refused now rather than queued to fail later: pressing Run before picking a photo.
          const field = emptyFileParam(def, node);
          if (field) issues.push({ code: ErrorCode.invalidParam, nodeId, field, message: 'No file chosen' });
          continue;
        }
        if (ref in found.inputHashes) continue;
        try {
          found.inputHashes[ref] = await o.hashFile(ref);
        } catch (e) {
          const field = Object.entries(node.params).find(([, v]) => v === ref)?.[0];
          // A UserError already says what is wrong with the name ("not found", "may not contain '..'").
          const message = e instanceof UserError ? e.message : `Can not read input file "${ref}": ${shortError(e)}`;
          issues.push({ code: ErrorCode.invalidParam, nodeId, field, message });
        }
      }
    }
    for (const name of paramsWithRole(def.params, ParamRole.model)) {
      if (name in node.inputs) continue;
      const id = node.params[name];
      if (typeof id !== 'string' || !modelRegistry || id in found.models) continue;
      try {
        found.models[id] = (await modelRegistry.info(id)).hash;
      } catch (e) {
        issues.push({
          code: ErrorCode.invalidParam,
          nodeId,
          field: name,
          message: e instanceof UserError ? e.message : `Unknown model "${id}": ${shortError(e)}`,
        });
      }
    }
    // What only the host can tell (an API key it can find): refused now, not queued to fail later.
    for (const [field, message] of def.checkHost?.(node.params as never, o.services) ?? []) {
      issues.push({ code: ErrorCode.invalidParam, nodeId, ...(field ? { field } : {}), message });
    }
  }
  return issues;
}

/**
 * A run that could do nothing (no output node, or a target that is not in the workflow) is refused like any
 * other problem. Judged on the document itself, so an output node with a bad parameter still counts as one.
 */
function whatWouldRun(doc: unknown, registry: NodeRegistry, targets: string[] | undefined, force: string[] | undefined): GraphIssue[] {
  const raw = (doc as { nodes?: unknown } | null)?.nodes;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return []; // the document check already said so
  const nodes = raw as Record<string, { type?: unknown } | null>;
  const issues = unknownNodeIssues(Object.keys(nodes), { targets, force });
  if (targets?.length) return issues;
  const hasOutput = Object.values(nodes).some((n) => typeof n?.type === 'string' && registry.get(n.type)?.isOutput);
  if (!hasOutput)
    issues.push({
      code: ErrorCode.noOutputs,
      message: 'The workflow has no output node (such as SaveVideo or SaveImage), so nothing would run',
    });
  return issues;
}

/** The file parameter left empty and not fed by a link (a linked one gets its name at run time). */
function emptyFileParam(def: NodeDefinition, node: Workflow['nodes'][string]): string | undefined {
  return paramsWithRole(def.params, ParamRole.file).find((name) => node.params[name] === '' && !(name in (node.inputs ?? {})));
}

function shortError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
