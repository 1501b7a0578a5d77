import { findLimitBreach } from './document-limits.js';
import { ErrorCode, type GraphIssue } from './errors.js';
import { checkLinks, findCycles } from './graph-checks.js';
import { migrateWorkflow } from './migrate.js';
import { applyNodeModes } from './node-modes.js';
import { checkNode } from './node-checks.js';
import { dictionaryRecord, parseOutline, validationResult, type ValidationResult } from './outline.js';
import type { NodeRegistry } from './registry.js';
import { ValidationMemo } from './validation-memo.js';
import type { Workflow, WorkflowNode } from './workflow-schema.js';

export { inputSocketType } from './graph-checks.js';
export { ValidationMemo } from './validation-memo.js';
export type { ValidationResult } from './outline.js';
export { DOCUMENT_LIMITS, findLimitBreach, type DocumentLimitName, type DocumentLimits, type LimitBreach } from './document-limits.js';

/** Problems listed per validation; the rest are counted in `omittedIssues` (an answer stays small and quick). */
export const MAX_REPORTED_ISSUES = 100;

/**
 * Checks a workflow document against the installed node types and reports every problem at once, each tied
 * to a node and a field. Never throws. On success `workflow` is the runnable form: migrated, every
 * parameter parsed (defaults filled in) and every node stamped with its type's current version.
 * With a memo (the Engine keeps one) only what changed since the memo's last document is checked again;
 * the result is the same as without it, and its objects are frozen and may be shared between results.
 */
export function validateWorkflow(doc: unknown, registry: NodeRegistry, memo?: ValidationMemo): ValidationResult {
  try {
    // Bounds first: they keep the work (and what is kept of unknown fields) proportional to the limits.
    const breach = findLimitBreach(doc);
    if (breach) {
      memo?.forget();
      return {
        ok: false,
        issues: [
          { code: ErrorCode.limitExceeded, message: `${breach.message} (${breach.limit})`, ...(breach.path ? { field: breach.path } : {}) },
        ],
      };
    }
    // Bypassed, muted and reroute nodes are resolved first: what runs is checked, not what is switched off.
    const moded = applyNodeModes(migrateWorkflow(doc), registry);
    const result = memo ? memo.validate(moded.doc, registry) : validate(moded.doc, registry);
    if (moded.issues.length === 0) return capIssues(result);
    return capIssues({ ok: false, issues: [...moded.issues, ...result.issues], ...(result.workflow ? { workflow: result.workflow } : {}) });
  } catch (e) {
    memo?.forget();
    return { ok: false, issues: [{ code: ErrorCode.invalidDocument, message: `Could not validate the document: ${errorText(e)}` }] };
  }
}

function validate(migrated: unknown, registry: NodeRegistry): ValidationResult {
  const parsed = parseOutline(migrated);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const { outline } = parsed;

  const issues: GraphIssue[] = [];
  const nodes = new Map<string, WorkflowNode>();
  const resolved = dictionaryRecord<WorkflowNode>();
  for (const [id, raw] of Object.entries(outline.nodes)) {
    const checked = checkNode(id, raw, registry);
    issues.push(...checked.issues);
    if (checked.node) nodes.set(id, checked.node);
    if (checked.resolved) resolved[id] = checked.resolved;
  }
  for (const [id, node] of nodes) checkLinks(id, node, nodes, registry, issues);
  issues.push(...findCycles(nodes));
  return validationResult({ ...outline, nodes: resolved } as Workflow, issues);
}

/**
 * Keeps the first `max` problems (errors before warnings, so a capped list never hides why a document fails)
 * and counts the rest in `omittedIssues`.
 */
export function capIssues<R extends { issues: GraphIssue[]; omittedIssues?: number }>(result: R, max = MAX_REPORTED_ISSUES): R {
  const { issues } = result;
  if (issues.length <= max) return result;
  const errors = issues.filter((i) => i.severity !== 'warning');
  const kept =
    errors.length >= max
      ? errors.slice(0, max)
      : [...errors, ...issues.filter((i) => i.severity === 'warning').slice(0, max - errors.length)];
  return { ...result, issues: kept, omittedIssues: (result.omittedIssues ?? 0) + issues.length - kept.length };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
