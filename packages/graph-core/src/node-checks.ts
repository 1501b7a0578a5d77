import type { z } from 'zod';
import { ErrorCode, type GraphIssue } from './errors.js';
import type { NodeDefinition } from './node-definition.js';
import type { NodeRegistry } from './registry.js';
import { WorkflowNodeSchema, type WorkflowNode } from './workflow-schema.js';

/** One node checked on its own: parsed, its type looked up, its parameters resolved (defaults filled in). */
export interface CheckedNode {
  def: NodeDefinition | undefined;
  /** The node as parsed; absent when it does not parse. */
  node?: WorkflowNode;
  /** The runnable form: parameters resolved, version stamped (the parsed node itself when its type is missing). */
  resolved?: WorkflowNode;
  issues: GraphIssue[];
}

export function checkNode(id: string, raw: unknown, registry: NodeRegistry): CheckedNode {
  const issues: GraphIssue[] = [];
  const parsed = WorkflowNodeSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      issues.push({ code: ErrorCode.invalidDocument, nodeId: id, field: pathText(i.path), message: i.message });
    return { def: undefined, issues };
  }
  const node = parsed.data;
  const def = registry.get(node.type);
  if (!def) {
    issues.push({
      code: ErrorCode.unknownNodeType,
      nodeId: id,
      field: 'type',
      message: `Node type "${node.type}" is not installed; the node keeps its parameters and links until it is installed or replaced`,
    });
    return { def, node, resolved: node, issues };
  }
  return { def, node, resolved: { ...node, version: def.version, params: checkParams(id, node, def, issues) }, issues };
}

function checkParams(id: string, node: WorkflowNode, def: NodeDefinition, issues: GraphIssue[]): Record<string, unknown> {
  let params = node.params;
  const saved = node.version ?? def.version;
  if (saved > def.version) {
    issues.push({
      code: ErrorCode.invalidParam,
      nodeId: id,
      field: 'version',
      severity: 'warning',
      message: `Saved with ${def.type} version ${saved}, newer than the installed version ${def.version}`,
    });
  } else if (saved < def.version && def.migrateParams) {
    params = def.migrateParams(saved, { ...params });
  }

  const out: Record<string, unknown> = {};
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(def.params, name))
      issues.push({ code: ErrorCode.unknownParam, nodeId: id, field: name, message: `${def.type} has no parameter "${name}"` });
  }
  let allValid = true;
  for (const [name, schema] of Object.entries(def.params)) {
    if (name in node.inputs) continue; // fed by a link: checked when the value arrives
    const r = schema.safeParse(params[name]);
    if (r.success) out[name] = r.data;
    else {
      allValid = false;
      issues.push({ code: ErrorCode.invalidParam, nodeId: id, field: name, message: paramMessage(r.error) });
    }
  }
  if (allValid && def.checkParams && Object.keys(def.params).every((n) => n in out)) {
    for (const [field, message] of def.checkParams(out as never, new Set(Object.keys(node.inputs))))
      issues.push({ code: ErrorCode.invalidParam, nodeId: id, field, message });
  }
  return out;
}

function paramMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${pathText(i.path)}: ` : '') + i.message).join('; ');
}

export function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}
