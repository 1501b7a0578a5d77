import type { Node } from '@xyflow/react';
import type { NodeSchema, Workflow } from '../api/types.js';
import { nodesInGroup } from '../graph/node-ops.js';
import { NODE_WIDTH } from './flow-elements.js';
import type { Box, GroupBox } from './layout.js';
import { estimateHeight, fullHeights } from './low-detail.js';

export interface CanvasBoxes {
  /** Workflow nodes. */
  nodes: Box[];
  /** Notes (ids "note:…"). */
  notes: Box[];
  groups: GroupBox[];
  /** Whether every node and note has been measured by React Flow (drawn at least once). */
  allMeasured: boolean;
}

/**
 * Every item's box on the canvas in flow coordinates, from React Flow's measured sizes (`node.measured`); an item
 * not drawn yet (off screen) gets its last full height or an estimate from its schema.
 */
export function canvasBoxes(flowNodes: readonly Node[], doc: Workflow, schemaOf: (type: string) => NodeSchema | undefined): CanvasBoxes {
  const out: CanvasBoxes = { nodes: [], notes: [], groups: [], allMeasured: true };
  for (const n of flowNodes) {
    if (n.type === 'kgGroup') continue;
    const measured = n.measured?.width && n.measured?.height ? n.measured : undefined;
    if (!measured) out.allMeasured = false;
    const isNote = n.type === 'kgNote';
    const schema = !isNote && doc.nodes[n.id] ? schemaOf(doc.nodes[n.id].type) : undefined;
    const width = measured?.width ?? n.width ?? (isNote ? 220 : NODE_WIDTH);
    const height = measured?.height ?? (isNote ? 100 : (fullHeights.get(n.id) ?? (schema ? estimateHeight(schema) : 120)));
    (isNote ? out.notes : out.nodes).push({ id: n.id, x: n.position.x, y: n.position.y, width, height });
  }
  for (const g of doc.ui.groups)
    out.groups.push({ id: 'group:' + g.id, x: g.x, y: g.y, width: g.width, height: g.height, members: nodesInGroup(doc, g.id) });
  return out;
}

/** The document's links as source → target pairs (for the column layout). */
export function docLinks(doc: Workflow): Array<{ source: string; target: string }> {
  return Object.entries(doc.nodes).flatMap(([target, n]) => Object.values(n.inputs).map(([source]) => ({ source, target })));
}
