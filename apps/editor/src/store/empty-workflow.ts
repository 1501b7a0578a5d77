import { migrateWorkflow, WORKFLOW_FORMAT, WORKFLOW_VERSION } from '@kinegraph/graph-core';
import type { Workflow } from '../api/types.js';

export function emptyWorkflow(): Workflow {
  return { format: 'kinegraph.workflow', version: 1, nodes: {}, ui: { nodes: {}, groups: [], notes: [] } };
}

/** Fills the optional parts of a loaded document so the editor can rely on them. */
export function normalizeWorkflow(input: unknown): Workflow {
  // Older documents are upgraded by graph-core's migrations, the same ones the runtime and CLI use.
  const doc = (migrateWorkflow(input) ?? {}) as Partial<Workflow>;
  if (doc.format !== WORKFLOW_FORMAT) throw new Error('Not a Kinegraph workflow (format must be "kinegraph.workflow")');
  if (typeof doc.version === 'number' && doc.version > WORKFLOW_VERSION) {
    throw new Error(`This workflow was saved by a newer Kinegraph (format version ${doc.version}; this editor reads up to ${WORKFLOW_VERSION})`);
  }
  if (typeof doc.nodes !== 'object' || doc.nodes === null) throw new Error('Workflow has no "nodes" object');
  const nodes: Workflow['nodes'] = {};
  for (const [id, n] of Object.entries(doc.nodes)) {
    nodes[id] = { ...n, type: String(n?.type ?? 'Unknown'), params: { ...(n?.params ?? {}) }, inputs: { ...(n?.inputs ?? {}) } };
  }
  const ui = (doc.ui ?? {}) as Partial<Workflow['ui']>;
  const uiNodes: Workflow['ui']['nodes'] = { ...(ui.nodes ?? {}) };
  // Nodes without a position get a simple grid layout.
  let i = 0;
  for (const id of Object.keys(nodes)) {
    if (!uiNodes[id]) uiNodes[id] = { x: 80 + (i % 5) * 320, y: 80 + Math.floor(i / 5) * 260 };
    i++;
  }
  for (const id of Object.keys(uiNodes)) if (!nodes[id]) delete uiNodes[id];
  return {
    ...doc,
    format: 'kinegraph.workflow',
    version: 1,
    nodes,
    ui: { ...ui, nodes: uiNodes, groups: [...(ui.groups ?? [])], notes: [...(ui.notes ?? [])] },
  } as Workflow;
}
