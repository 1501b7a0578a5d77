import { z } from 'zod';
import { ErrorCode, type GraphIssue } from './errors.js';
import { migrateWorkflow } from './migrate.js';
import type { NodeDefinition } from './node-definition.js';
import { hintOf } from './param-hints.js';
import type { NodeRegistry } from './registry.js';
import { socketsCompatible } from './socket-types.js';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, WorkflowNodeSchema, WorkflowSchema, type Workflow, type WorkflowNode } from './workflow-schema.js';

export type ValidationResult =
  | { ok: true; workflow: Workflow; issues: GraphIssue[] }
  | { ok: false; issues: GraphIssue[]; workflow?: Workflow };

/** The document's outline; each node is then checked on its own so one bad node never hides another's problems. */
const OutlineSchema = WorkflowSchema.extend({ nodes: z.record(z.string(), z.unknown()) });

/**
 * Checks a workflow document against the installed node types and reports every problem at once, each tied
 * to a node and a field. Never throws. On success `workflow` is the runnable form: migrated, every
 * parameter parsed (defaults filled in) and every node stamped with its type's current version.
 */
export function validateWorkflow(doc: unknown, registry: NodeRegistry, memo?: ValidationMemo): ValidationResult {
  try {
    return validate(doc, registry, memo);
  } catch (e) {
    return { ok: false, issues: [{ code: ErrorCode.invalidDocument, message: `Could not validate the document: ${errorText(e)}` }] };
  }
}

/**
 * Remembers each node's own checks (parse, parameters) so a rerun re-checks only the nodes that changed:
 * by object identity (an editor with structural sharing) or else by the node's JSON text. Links and
 * cycles, which depend on the whole graph, are always checked again.
 */
export class ValidationMemo {
  private readonly byObject = new WeakMap<object, MemoEntry>();
  private readonly byText = new Map<string, MemoEntry>();
  constructor(private readonly maxEntries = 50_000) {}

  /** Issues name their node, so entries are per node id. */
  check(id: string, raw: unknown, def: NodeDefinition | undefined, compute: () => MemoEntry): MemoEntry {
    if (typeof raw !== 'object' || raw === null) return compute();
    const known = this.byObject.get(raw);
    if (known && known.def === def && known.id === id) return known;
    const text = id + '\u0000' + JSON.stringify(raw);
    const same = this.byText.get(text);
    if (same && same.def === def) {
      this.byObject.set(raw, same);
      return same;
    }
    const entry = compute();
    if (this.byText.size >= this.maxEntries) this.byText.clear();
    this.byText.set(text, entry);
    this.byObject.set(raw, entry);
    return entry;
  }
}

interface MemoEntry {
  id: string;
  def: NodeDefinition | undefined;
  node?: WorkflowNode;
  resolved?: WorkflowNode;
  issues: GraphIssue[];
}

function checkNode(id: string, raw: unknown, registry: NodeRegistry): MemoEntry {
  const issues: GraphIssue[] = [];
  const parsed = WorkflowNodeSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ code: ErrorCode.invalidDocument, nodeId: id, field: pathText(i.path), message: i.message });
    return { id, def: undefined, issues };
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
    return { id, def, node, resolved: node, issues };
  }
  return { id, def, node, resolved: { ...node, version: def.version, params: checkParams(id, node, def, issues) }, issues };
}

function validate(doc: unknown, registry: NodeRegistry, memo: ValidationMemo | undefined): ValidationResult {
  const migrated = migrateWorkflow(doc);
  const outline = OutlineSchema.safeParse(migrated);
  if (!outline.success) return { ok: false, issues: documentIssues(migrated, outline.error) };

  const issues: GraphIssue[] = [];
  const nodes: Record<string, WorkflowNode> = {};
  const resolved: Record<string, WorkflowNode> = {};
  for (const [id, raw] of Object.entries(outline.data.nodes)) {
    const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
    const def = typeof type === 'string' ? registry.get(type) : undefined;
    const checked = memo ? memo.check(id, raw, def, () => checkNode(id, raw, registry)) : checkNode(id, raw, registry);
    issues.push(...checked.issues);
    if (checked.node) nodes[id] = checked.node;
    if (checked.resolved) resolved[id] = checked.resolved;
  }
  for (const [id, node] of Object.entries(nodes)) checkLinks(id, node, nodes, registry, issues);
  issues.push(...findCycles(nodes));

  const workflow = { ...outline.data, nodes: resolved } as Workflow;
  const errors = issues.filter((i) => i.severity !== 'warning');
  return errors.length ? { ok: false, issues, workflow } : { ok: true, workflow, issues };
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
    if (!(name in def.params)) issues.push({ code: ErrorCode.unknownParam, nodeId: id, field: name, message: `${def.type} has no parameter "${name}"` });
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
    for (const [field, message] of def.checkParams(out as never)) issues.push({ code: ErrorCode.invalidParam, nodeId: id, field, message });
  }
  return out;
}

/** The socket type an input name accepts: a declared input, or a parameter turned into a socket. */
export function inputSocketType(def: NodeDefinition, name: string): string | undefined {
  const input = def.inputs[name];
  if (input) return input.type;
  const param = def.params[name];
  return param ? hintOf(param)?.socket : undefined;
}

function checkLinks(id: string, node: WorkflowNode, nodes: Record<string, WorkflowNode>, registry: NodeRegistry, issues: GraphIssue[]): void {
  const def = registry.get(node.type);
  for (const [name, [sourceId, output]] of Object.entries(node.inputs)) {
    const expected = def ? inputSocketType(def, name) : undefined;
    if (def && expected === undefined) {
      issues.push({ code: ErrorCode.unknownInput, nodeId: id, field: name, message: `${def.type} has no input "${name}"` });
      continue;
    }
    const source = nodes[sourceId];
    if (!source) {
      issues.push({ code: ErrorCode.linkToMissingNode, nodeId: id, field: name, message: `Input "${name}" is linked to node "${sourceId}", which does not exist` });
      continue;
    }
    const sourceDef = registry.get(source.type);
    if (!sourceDef) continue; // reported on the source node
    const out = sourceDef.outputs[output];
    if (!out) {
      const known = Object.keys(sourceDef.outputs).join(', ') || 'none';
      issues.push({
        code: ErrorCode.linkToMissingOutput,
        nodeId: id,
        field: name,
        message: `Input "${name}" is linked to output "${output}" of ${sourceDef.type} "${sourceId}", which has no such output (outputs: ${known})`,
      });
      continue;
    }
    if (expected !== undefined && !socketsCompatible(out.type, expected)) {
      issues.push({
        code: ErrorCode.typeMismatch,
        nodeId: id,
        field: name,
        message: `Input "${name}" expects ${expected} but ${sourceDef.type} "${sourceId}".${output} gives ${out.type}`,
      });
    }
  }
  if (!def) return;
  for (const [name, spec] of Object.entries(def.inputs)) {
    if (!spec.optional && !(name in node.inputs)) {
      issues.push({ code: ErrorCode.missingInput, nodeId: id, field: name, message: `Required input "${name}" (${spec.type}) is not connected` });
    }
  }
}

/** Every node on a cycle, named with the input that closes it. */
function findCycles(nodes: Record<string, WorkflowNode>): GraphIssue[] {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const onCycle = new Map<string, string>();
  const stack: Array<{ id: string; links: Array<[string, string]>; i: number }> = [];
  const linksOf = (id: string) => Object.entries(nodes[id]!.inputs).map(([name, l]) => [name, l[0]] as [string, string]);
  for (const start of Object.keys(nodes)) {
    if (state.has(start)) continue;
    state.set(start, 1);
    stack.push({ id: start, links: linksOf(start), i: 0 });
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.links.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const [input, next] = top.links[top.i++]!;
      if (!nodes[next]) continue;
      const s = state.get(next);
      if (s === 1) {
        onCycle.set(top.id, input);
        for (let k = stack.length - 1; k >= 0 && stack[k]!.id !== next; k--) {
          const frame = stack[k - 1];
          if (frame) onCycle.set(frame.id, frame.links[frame.i - 1]![0]);
        }
      } else if (s === undefined) {
        state.set(next, 1);
        stack.push({ id: next, links: linksOf(next), i: 0 });
      }
    }
  }
  return [...onCycle].map(([nodeId, field]) => ({
    code: ErrorCode.cycle,
    nodeId,
    field,
    message: `Input "${field}" is part of a cycle: a node can not depend on its own result`,
  }));
}

function documentIssues(doc: unknown, error: z.ZodError): GraphIssue[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return [{ code: ErrorCode.invalidDocument, message: 'A workflow must be a JSON object' }];
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== WORKFLOW_FORMAT) {
    return [{ code: ErrorCode.invalidDocument, field: 'format', message: `Not a Kinegraph workflow: "format" must be "${WORKFLOW_FORMAT}"` }];
  }
  if (typeof d.version === 'number' && d.version > WORKFLOW_VERSION) {
    return [
      {
        code: ErrorCode.unsupportedVersion,
        field: 'version',
        message: `This workflow was saved by a newer Kinegraph (format version ${d.version}; this one reads up to ${WORKFLOW_VERSION})`,
      },
    ];
  }
  return error.issues.map((i) => ({ code: ErrorCode.invalidDocument, field: pathText(i.path), message: i.message }));
}

function paramMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${pathText(i.path)}: ` : '') + i.message).join('; ');
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
