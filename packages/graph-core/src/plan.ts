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

/**
 * The nodes the targets need, in dependency order, each with its content key:
 * hash(type, version, canonical params, input keys, file hashes). Equal keys mean equal results, across
 * runs and across workflows that share a prefix. Expects a validated workflow.
 */
/** Keys already computed for a (resolved node object, input keys) pair: reruns skip hashing unchanged nodes. */
export type KeyMemo = WeakMap<WorkflowNode, { inputKeys: string; key: string | null }>;

export async function planRun(
  workflow: Workflow,
  registry: NodeRegistry,
  targets: string[],
  hashFile?: (ref: string) => Promise<string>,
  memo?: KeyMemo,
): Promise<PlannedNode[]> {
  const order = dependencyOrder(workflow, targets);
  const planned = new Map<string, PlannedNode>();
  for (const id of order) {
    const node = workflow.nodes[id]!;
    const def = registry.get(node.type)!;
    const deps = [...new Set(Object.values(node.inputs).map((l) => l[0]))];
    let key: string | null;
    if (memo && def.cache !== CachePolicy.file) {
      let inputKeys = '';
      for (const l of Object.values(node.inputs)) inputKeys += (planned.get(l[0])?.key ?? 'null') + l[1] + ',';
      const known = memo.get(node);
      if (known && known.inputKeys === inputKeys) key = known.key;
      else {
        key = await contentKey(node, def, planned, hashFile);
        memo.set(node, { inputKeys, key });
      }
    } else key = await contentKey(node, def, planned, hashFile);
    planned.set(id, { id, node, def, key, deps });
  }
  return order.map((id) => planned.get(id)!);
}

async function contentKey(
  node: WorkflowNode,
  def: NodeDefinition,
  planned: Map<string, PlannedNode>,
  hashFile: ((ref: string) => Promise<string>) | undefined,
): Promise<string | null> {
  if (def.cache === CachePolicy.never) return null;
  const inputs: Record<string, [string, string]> = {};
  for (const [name, [source, output]] of Object.entries(node.inputs)) {
    const sourceKey = planned.get(source)?.key;
    if (!sourceKey) return null;
    inputs[name] = [sourceKey, output];
  }
  let files: Record<string, string> | undefined;
  if (def.cache === CachePolicy.file) {
    if (!hashFile || !def.fileRefs) return null;
    files = {};
    try {
      for (const ref of def.fileRefs(node.params as never)) if (ref) files[ref] = await hashFile(ref);
    } catch {
      return null; // the node reports the unreadable file itself when it runs
    }
  }
  return sha256Hex(canonicalJson({ t: node.type, v: def.version, p: node.params, i: inputs, f: files }));
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
  for (const p of plan) if (p.deps.some((d) => out.has(d))) out.add(p.id);
  return out;
}

export function isOutputDef(def: NodeDefinition | undefined): boolean {
  return def?.isOutput === true;
}
