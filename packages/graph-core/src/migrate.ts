import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from './workflow-schema.js';

/**
 * Document migrations, one per version step: `steps[n]` upgrades version n to n + 1. A new format version
 * adds one function here and never edits the old ones, so every file ever saved keeps loading.
 */
const steps: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  0: fromV0,
};

/**
 * Upgrades an older workflow document to the current version. Never throws: anything it does not
 * recognise is returned unchanged for validation to report.
 */
export function migrateWorkflow(doc: unknown): unknown {
  if (!isRecord(doc) || doc.format !== WORKFLOW_FORMAT) return doc;
  let current: Record<string, unknown> = doc;
  try {
    while (typeof current.version === 'number' && current.version < WORKFLOW_VERSION) {
      const step = steps[current.version];
      if (!step) return current;
      current = step(current);
    }
  } catch {
    return doc;
  }
  return current;
}

/**
 * Version 0 (the pre-release format) kept nodes in an array with positions inline and links as objects:
 * `{ format, version: 0, nodes: [{ id, type, params, links: { <input>: { from, output } }, position: { x, y } }] }`.
 */
function fromV0(doc: Record<string, unknown>): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  const uiNodes: Record<string, unknown> = {};
  const list = Array.isArray(doc.nodes) ? doc.nodes : [];
  for (const raw of list) {
    if (!isRecord(raw) || typeof raw.id !== 'string') continue;
    const inputs: Record<string, [string, string]> = {};
    if (isRecord(raw.links)) {
      for (const [name, link] of Object.entries(raw.links)) {
        if (isRecord(link) && typeof link.from === 'string' && typeof link.output === 'string') inputs[name] = [link.from, link.output];
      }
    }
    // v0 predates per-node versions: its nodes were saved by version 1 of their types.
    nodes[raw.id] = { type: raw.type, version: 1, params: isRecord(raw.params) ? raw.params : {}, inputs };
    if (isRecord(raw.position)) uiNodes[raw.id] = { x: raw.position.x, y: raw.position.y };
  }
  const { nodes: _old, ...rest } = doc;
  return { ...rest, version: 1, nodes, ui: { nodes: uiNodes, groups: [], notes: [] } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
