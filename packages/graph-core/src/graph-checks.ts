import { ErrorCode, type GraphIssue } from './errors.js';
import type { NodeDefinition } from './node-definition.js';
import { hintOf } from './param-hints.js';
import type { NodeRegistry } from './registry.js';
import { socketsCompatible } from './socket-types.js';
import type { WorkflowNode } from './workflow-schema.js';

/** The socket type an input name accepts: a declared input, or a parameter turned into a socket. */
export function inputSocketType(def: NodeDefinition, name: string): string | undefined {
  const input = def.inputs[name];
  if (input) return input.type;
  const param = def.params[name];
  return param ? hintOf(param)?.socket : undefined;
}

/** A node's links: each to an existing node's existing output of a compatible type; every required input connected. */
export function checkLinks(
  id: string,
  node: WorkflowNode,
  nodes: ReadonlyMap<string, WorkflowNode>,
  registry: NodeRegistry,
  issues: GraphIssue[],
): void {
  const def = registry.get(node.type);
  for (const [name, [sourceId, output]] of Object.entries(node.inputs)) {
    const expected = def ? inputSocketType(def, name) : undefined;
    if (def && expected === undefined) {
      issues.push({ code: ErrorCode.unknownInput, nodeId: id, field: name, message: `${def.type} has no input "${name}"` });
      continue;
    }
    const source = nodes.get(sourceId);
    if (!source) {
      issues.push({
        code: ErrorCode.linkToMissingNode,
        nodeId: id,
        field: name,
        message: `Input "${name}" is linked to node "${sourceId}", which does not exist`,
      });
      continue;
    }
    const sourceDef = registry.get(source.type);
    if (!sourceDef) continue; // reported on the source node
    const out = Object.hasOwn(sourceDef.outputs, output) ? sourceDef.outputs[output] : undefined;
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
      issues.push({
        code: ErrorCode.missingInput,
        nodeId: id,
        field: name,
        message: `Required input "${name}" (${spec.type}) is not connected`,
      });
    }
  }
}

/** Every node on a cycle, named with the input that closes it. */
export function findCycles(nodes: ReadonlyMap<string, WorkflowNode>): GraphIssue[] {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const onCycle = new Map<string, string>();
  const stack: Array<{ id: string; links: Array<[string, string]>; i: number }> = [];
  const linksOf = (id: string) => Object.entries(nodes.get(id)!.inputs).map(([name, l]) => [name, l[0]] as [string, string]);
  for (const start of nodes.keys()) {
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
      if (!nodes.has(next)) continue;
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
