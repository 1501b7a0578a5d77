import { canonicalJson, sha256Hex } from './hash.js';
import { CachePolicy, type NodeDefinition } from './node-definition.js';
import type { NodeRegistry } from './registry.js';
import type { Workflow, WorkflowNode } from './workflow-schema.js';

export interface PlannedNode {
  id: string;
  node: WorkflowNode;
  def: NodeDefinition;
  /** Content key of the node's result; null when it can not be cached (policy 'never', or fed by such a node). */
  key: string | null;
  /** Source node ids of its links (deduplicated). */
  deps: string[];
}

export interface Plan {
  /** Dependency order: each node after everything it reads. */
  nodes: PlannedNode[];
  /** Position of each planned node in `nodes`. */
  index: ReadonlyMap<string, number>;
}

type HashFile = (ref: string) => Promise<string>;

/**
 * The nodes the targets need, in dependency order, each with its content key:
 * hash(type, version, canonical params, input keys, file hashes). Equal keys mean equal results, across
 * runs and across workflows that share a prefix. Expects a validated workflow.
 */
export async function planRun(workflow: Workflow, registry: NodeRegistry, targets: string[], hashFile?: HashFile): Promise<PlannedNode[]> {
  return (await new Planner(registry, hashFile).plan(workflow, targets)).nodes;
}

/**
 * Plans runs of one evolving workflow, remembering the last plan: when the targets and every planned node's
 * links are unchanged the order is reused, and a node keeps its key when it is the same frozen object as
 * last time (what a ValidationMemo hands out for an unchanged node) and no input's key changed. Nodes
 * that read files are always hashed again. The plan equals `planRun`'s.
 */
export class Planner {
  private last: (Plan & { targets: string[]; deps: number[][] }) | undefined;

  constructor(
    private readonly registry: NodeRegistry,
    private readonly hashFile?: HashFile,
  ) {}

  async plan(workflow: Workflow, targets: string[]): Promise<Plan> {
    const last = this.last;
    const plan =
      (last && sameTargets(last.targets, targets) && (await this.replan(last, workflow))) || (await this.planAfresh(workflow, targets));
    this.last = { ...plan, targets: [...targets] };
    return { nodes: plan.nodes, index: plan.index };
  }

  /**
   * The last plan's order again, with keys brought up to date, or undefined when some planned node is
   * gone or has other links (the walk from the targets could then take another way).
   */
  private async replan(last: Plan & { deps: number[][] }, workflow: Workflow): Promise<(Plan & { deps: number[][] }) | undefined> {
    const n = last.nodes.length;
    const nodes: PlannedNode[] = new Array(n);
    const keyChanged = new Uint8Array(n);
    const keyOfSource = (id: string) => nodes[last.index.get(id)!]!.key;
    let changed = false;
    for (let i = 0; i < n; i++) {
      const prev = last.nodes[i]!;
      const node = workflow.nodes[prev.id];
      if (node !== prev.node && (!node || !Object.hasOwn(workflow.nodes, prev.id) || !sameLinks(node.inputs, prev.node.inputs)))
        return undefined;
      // The same frozen node has the same type, and a registry never replaces a type's definition.
      const same = node === prev.node && Object.isFrozen(node);
      const def = same ? prev.def : this.registry.get(node!.type)!;
      const deps = last.deps[i]!;
      let reuse = same && def.cache !== CachePolicy.file;
      for (let k = 0; reuse && k < deps.length; k++) if (keyChanged[deps[k]!]) reuse = false;
      if (reuse) {
        nodes[i] = prev;
        continue;
      }
      const found = this.keyOf(node!, def, keyOfSource);
      const key = typeof found === 'object' && found !== null ? await found : found;
      nodes[i] = { id: prev.id, node: node!, def, key, deps: prev.deps };
      if (key !== prev.key) keyChanged[i] = 1;
      changed = true;
    }
    return changed ? { nodes, index: last.index, deps: last.deps } : last;
  }

  private async planAfresh(workflow: Workflow, targets: string[]): Promise<Plan & { deps: number[][] }> {
    const order = dependencyOrder(workflow, targets);
    const index = new Map(order.map((id, i) => [id, i]));
    const deps = order.map((id) => uniqueSources(workflow.nodes[id]!).map((d) => index.get(d)!));
    const last = this.last;
    const nodes: PlannedNode[] = new Array(order.length);
    const keyChanged = new Uint8Array(order.length);
    const keyOfSource = (source: string) => nodes[index.get(source)!]!.key;
    for (let i = 0; i < order.length; i++) {
      const id = order[i]!;
      const node = workflow.nodes[id]!;
      const def = this.registry.get(node.type)!;
      const at = last?.index.get(id);
      const prev = at === undefined ? undefined : last!.nodes[at];
      // Reused only when its inputs are the very nodes it read last time, with the same keys.
      let reuse = prev !== undefined && prev.node === node && prev.def === def && def.cache !== CachePolicy.file && Object.isFrozen(node);
      for (let k = 0; reuse && k < deps[i]!.length; k++) if (keyChanged[deps[i]![k]!]) reuse = false;
      if (reuse) {
        nodes[i] = prev!;
        continue;
      }
      const found = this.keyOf(node, def, keyOfSource);
      const key = typeof found === 'object' && found !== null ? await found : found;
      nodes[i] = { id, node, def, key, deps: deps[i]!.map((d) => order[d]!) };
      if (prev === undefined || prev.key !== key) keyChanged[i] = 1;
    }
    return { nodes, index, deps };
  }

  /** Awaits only for nodes that read files: a microtask per node would be most of a rerun's cost. */
  private keyOf(
    node: WorkflowNode,
    def: NodeDefinition,
    keyOfSource: (id: string) => string | null,
  ): string | null | Promise<string | null> {
    if (def.cache !== CachePolicy.file) return contentKey(node, def, keyOfSource, undefined);
    return fileHashes(node, def, this.hashFile).then((files) => contentKey(node, def, keyOfSource, files));
  }
}

function sameTargets(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameLinks(a: WorkflowNode['inputs'], b: WorkflowNode['inputs']): boolean {
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i]!;
    if (k !== bk[i] || a[k]![0] !== b[k]![0] || a[k]![1] !== b[k]![1]) return false;
  }
  return true;
}

/** Null for files it can not hash (the node reports the unreadable file itself when it runs). */
async function fileHashes(node: WorkflowNode, def: NodeDefinition, hashFile: HashFile | undefined): Promise<Record<string, string> | null> {
  if (!hashFile || !def.fileRefs) return null;
  const files: Record<string, string> = {};
  try {
    for (const ref of def.fileRefs(node.params as never)) if (ref) files[ref] = await hashFile(ref);
  } catch {
    return null;
  }
  return files;
}

function contentKey(
  node: WorkflowNode,
  def: NodeDefinition,
  keyOf: (id: string) => string | null,
  files: Record<string, string> | null | undefined,
): string | null {
  if (def.cache === CachePolicy.never || files === null) return null;
  const inputs: Record<string, [string, string]> = {};
  for (const [name, [source, output]] of Object.entries(node.inputs)) {
    const sourceKey = keyOf(source);
    if (!sourceKey) return null;
    inputs[name] = [sourceKey, output];
  }
  return sha256Hex(canonicalJson({ t: node.type, v: def.version, p: node.params, i: inputs, f: files }));
}

function uniqueSources(node: WorkflowNode): string[] {
  return [...new Set(Object.values(node.inputs).map((l) => l[0]))];
}

/** Post-order walk from the targets: each node after everything it reads. Deterministic for a given document. */
function dependencyOrder(workflow: Workflow, targets: string[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target)) continue;
    seen.add(target);
    const stack: Array<{ id: string; deps: string[]; i: number }> = [{ id: target, deps: depsOf(workflow, target), i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.deps.length) {
        const next = top.deps[top.i++]!;
        if (!seen.has(next)) {
          seen.add(next);
          stack.push({ id: next, deps: depsOf(workflow, next), i: 0 });
        }
      } else {
        order.push(top.id);
        stack.pop();
      }
    }
  }
  return order;
}

function depsOf(workflow: Workflow, id: string): string[] {
  return Object.values(workflow.nodes[id]!.inputs).map((l) => l[0]);
}

/** The chosen nodes and every planned node that depends on them. */
export function withDescendants(plan: PlannedNode[], ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  if (!out.size) return out;
  for (const p of plan) if (p.deps.some((d) => out.has(d))) out.add(p.id);
  return out;
}
