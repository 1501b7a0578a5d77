import { arrangeLayered } from '../canvas/arrange-layered.js';
import { migrateWorkflow, WORKFLOW_FORMAT, WORKFLOW_VERSION } from '@kinegraph/graph-core';
import type { Workflow } from '../api/types.js';

export function emptyWorkflow(): Workflow {
  return { format: 'kinegraph.workflow', version: 1, nodes: {}, ui: { nodes: {}, groups: [], notes: [] } };
}

/** Fills the optional parts of a loaded document so the editor can rely on them. */
export function normalizeWorkflow(input: unknown): Workflow {
  return readWorkflow(input).doc;
}

/**
 * normalizeWorkflow, also saying which nodes came without a position (the canvas lays such a graph out by
 * Arrange once it has measured the nodes).
 */
export function readWorkflow(input: unknown): { doc: Workflow; unplaced: string[] } {
  // Older documents are upgraded by graph-core's migrations, the same ones the runtime and CLI use.
  const doc = (migrateWorkflow(input) ?? {}) as Partial<Workflow>;
  if (doc.format !== WORKFLOW_FORMAT) throw new Error('Not a Kinegraph workflow (format must be "kinegraph.workflow")');
  if (typeof doc.version === 'number' && doc.version > WORKFLOW_VERSION) {
    throw new Error(
      `This workflow was saved by a newer Kinegraph (format version ${doc.version}; this editor reads up to ${WORKFLOW_VERSION})`,
    );
  }
  if (typeof doc.nodes !== 'object' || doc.nodes === null) throw new Error('Workflow has no "nodes" object');
  const nodes: Workflow['nodes'] = {};
  for (const [id, n] of Object.entries(doc.nodes)) {
    nodes[id] = { ...n, type: String(n?.type ?? 'Unknown'), params: { ...(n?.params ?? {}) }, inputs: { ...(n?.inputs ?? {}) } };
  }
  const ui = (doc.ui ?? {}) as Partial<Workflow['ui']>;
  const uiNodes: Workflow['ui']['nodes'] = { ...(ui.nodes ?? {}) };
  // A graph without any positions (written by hand, by a script, from the API) is laid out like Arrange
  // does, from sizes guessed by its params (the canvas makes room once it has measured the real ones);
  // a few nodes without a position among placed ones get a grid beside them.
  const unplaced = Object.keys(nodes).filter((id) => !uiNodes[id]);
  if (unplaced.length && unplaced.length === Object.keys(nodes).length) {
    const boxes = unplaced.map((id, k) => ({ id, x: 80, y: 80 + k, width: 300, height: 90 + 42 * Object.keys(nodes[id]!.params).length }));
    const links = unplaced.flatMap((id) => Object.values(nodes[id]!.inputs).map(([source]) => ({ source, target: id })));
    for (const [id, p] of arrangeLayered(boxes, links)) uiNodes[id] = { x: p.x, y: p.y };
  } else {
    unplaced.forEach((id, i) => (uiNodes[id] = { x: 80 + (i % 5) * 320, y: 80 + Math.floor(i / 5) * 260 }));
  }
  for (const id of Object.keys(uiNodes)) if (!nodes[id]) delete uiNodes[id];
  const normalized = {
    ...doc,
    format: 'kinegraph.workflow',
    version: 1,
    nodes,
    ui: { ...ui, nodes: uiNodes, groups: [...(ui.groups ?? [])], notes: [...(ui.notes ?? [])] },
  } as Workflow;
  return { doc: normalized, unplaced };
}
