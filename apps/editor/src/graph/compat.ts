import { socketsCompatible } from '@kinegraph/graph-core';
import type { NodeSchema, Workflow } from '../api/types.js';

// graph-core's rule (equal names, ANY on either side, INT widens to FLOAT): the editor refuses what the engine would.
export { socketsCompatible };

export type SchemaMap = ReadonlyMap<string, NodeSchema>;

/** Type of an output; unknown (placeholder) nodes give ANY so their links survive. */
export function outputType(schemas: SchemaMap, doc: Workflow, nodeId: string, output: string): string | undefined {
  const node = doc.nodes[nodeId];
  if (!node) return undefined;
  // A reroute carries the type of what reaches it (ANY until linked).
  if (node.type === 'Reroute') {
    const from = node.inputs.input;
    return from && from[0] !== nodeId ? (outputType(schemas, doc, from[0], from[1]) ?? 'ANY') : 'ANY';
  }
  const schema = schemas.get(node.type);
  if (!schema) return 'ANY';
  return schema.outputs.find((o) => o.name === output)?.type;
}

/** Type of an input socket, or of a parameter that can be fed by a link (its hint's socket type). */
export function inputType(schemas: SchemaMap, doc: Workflow, nodeId: string, input: string): string | undefined {
  const node = doc.nodes[nodeId];
  if (!node) return undefined;
  const schema = schemas.get(node.type);
  if (!schema) return 'ANY';
  const i = schema.inputs.find((x) => x.name === input);
  if (i) return i.type;
  return schema.params.find((x) => x.name === input)?.hint.socket;
}

export type ConnectCheck = { ok: true; from: string; to: string } | { ok: false; reason: string };

/** Whether `source.output` may feed `target.input`, with a reason a user can act on when not. */
export function checkConnection(
  schemas: SchemaMap,
  doc: Workflow,
  c: { source: string; sourceHandle: string; target: string; targetHandle: string },
): ConnectCheck {
  if (c.source === c.target) return { ok: false, reason: 'A node cannot feed itself' };
  const from = outputType(schemas, doc, c.source, c.sourceHandle);
  if (!from) return { ok: false, reason: `Output "${c.sourceHandle}" does not exist` };
  const to = inputType(schemas, doc, c.target, c.targetHandle);
  if (!to) return { ok: false, reason: `Input "${c.targetHandle}" cannot take a link` };
  if (!socketsCompatible(from, to))
    return { ok: false, reason: `Type mismatch: ${from} cannot connect to ${to} input "${c.targetHandle}"` };
  if (createsCycle(doc, c.source, c.target)) return { ok: false, reason: 'That link would make a cycle' };
  return { ok: true, from, to };
}

/** True when `target` already feeds `source` (directly or not). */
export function createsCycle(doc: Workflow, source: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [source];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const link of Object.values(doc.nodes[id]?.inputs ?? {})) stack.push(link[0]);
  }
  return false;
}

/** Node types with at least one input accepting `type` (for "drag a link into empty space"). */
export function typesAccepting(schemas: SchemaMap, type: string): { schema: NodeSchema; input: string }[] {
  const out: { schema: NodeSchema; input: string }[] = [];
  for (const s of schemas.values()) {
    const i =
      s.inputs.find((x) => socketsCompatible(type, x.type)) ??
      s.params.find((x) => x.hint.socket && socketsCompatible(type, x.hint.socket));
    if (i) out.push({ schema: s, input: i.name });
  }
  return out;
}

/** Node types with an output that fits an input of `type` (dragging backwards from an input). */
export function typesProducing(schemas: SchemaMap, type: string): { schema: NodeSchema; output: string }[] {
  const out: { schema: NodeSchema; output: string }[] = [];
  for (const s of schemas.values()) {
    const o = s.outputs.find((x) => socketsCompatible(x.type, type));
    if (o) out.push({ schema: s, output: o.name });
  }
  return out;
}
