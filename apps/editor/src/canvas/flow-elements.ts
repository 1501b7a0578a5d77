import type { Edge, Node } from '@xyflow/react';
import type { Workflow } from '../api/types.js';
import { outputType, type SchemaMap } from '../graph/compat.js';
import { socketColor } from '../graph/socket-colors.js';

export const NODE_WIDTH = 280;

/**
 * React Flow nodes for the document: workflow nodes, groups (below) and notes. Objects are reused when nothing
 * React Flow cares about changed, so a param edit on one node never re-lays out 300 others, and `measured`
 * and `selected` survive a rebuild. `select`, when given, replaces the selection (after a paste).
 */
export function buildFlowNodes(doc: Workflow, prev: readonly Node[], select?: ReadonlySet<string>): Node[] {
  const before = new Map(prev.map((n) => [n.id, n]));
  const out: Node[] = [];
  const put = (next: Node) => {
    const old = before.get(next.id);
    const selected = select ? select.has(next.id) : (old?.selected ?? false);
    if (
      old &&
      old.type === next.type &&
      old.position.x === next.position.x &&
      old.position.y === next.position.y &&
      old.width === next.width &&
      old.height === next.height &&
      old.zIndex === next.zIndex &&
      Boolean(old.selected) === selected
    ) {
      out.push(old);
      return;
    }
    out.push({ ...next, selected, measured: old?.measured });
  };
  for (const g of doc.ui.groups) {
    put({ id: 'group:' + g.id, type: 'kgGroup', position: { x: g.x, y: g.y }, width: g.width, height: g.height, zIndex: -1, data: {} });
  }
  for (const n of doc.ui.notes) {
    put({ id: 'note:' + n.id, type: 'kgNote', position: { x: n.x, y: n.y }, width: n.width ?? 220, data: {} });
  }
  for (const id of Object.keys(doc.nodes)) {
    const u = doc.ui.nodes[id] ?? { x: 0, y: 0 };
    // A reroute is a dot, not a node-wide box (layout and overlap checks see its real size).
    const width = doc.nodes[id]!.type === 'Reroute' ? 24 : (u.width ?? NODE_WIDTH);
    put({ id, type: 'kg', position: { x: u.x, y: u.y }, width, data: {} });
  }
  return out;
}

/** One edge per linked input, coloured by the source output's type; selection survives rebuilds. */
export function buildFlowEdges(doc: Workflow, schemas: SchemaMap, prev: readonly Edge[]): Edge[] {
  const before = new Map(prev.map((e) => [e.id, e]));
  const out: Edge[] = [];
  for (const [target, node] of Object.entries(doc.nodes)) {
    for (const [input, [source, output]] of Object.entries(node.inputs)) {
      if (!doc.nodes[source]) continue;
      const id = `${target}:${input}`;
      const stroke = socketColor(outputType(schemas, doc, source, output));
      const old = before.get(id);
      if (
        old &&
        old.source === source &&
        old.sourceHandle === output &&
        (old.style as { stroke?: string } | undefined)?.stroke === stroke
      ) {
        out.push(old);
        continue;
      }
      out.push({
        id,
        source,
        sourceHandle: output,
        target,
        targetHandle: input,
        style: { stroke },
        selected: old?.selected ?? false,
        data: { type: outputType(schemas, doc, source, output) },
      });
    }
  }
  return out;
}
