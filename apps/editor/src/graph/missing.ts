import type { ModelInfo, Workflow } from '../api/types.js';
import type { SchemaMap } from './compat.js';

export interface MissingReport {
  /** Node type -> ids of the nodes of that type (kept on the canvas as placeholders). */
  nodeTypes: Record<string, string[]>;
  /** Model id -> `nodeId.param` places that name it. */
  models: Record<string, string[]>;
}

/** Node types the runtime does not know and models it does not have, so a loaded file never fails silently. */
export function findMissing(doc: Workflow, schemas: SchemaMap, models: readonly ModelInfo[]): MissingReport {
  const report: MissingReport = { nodeTypes: {}, models: {} };
  const known = new Set(models.map((m) => String(m.id ?? m.name ?? '')));
  for (const [id, node] of Object.entries(doc.nodes)) {
    const schema = schemas.get(node.type);
    if (!schema) {
      (report.nodeTypes[node.type] ??= []).push(id);
      continue;
    }
    if (models.length === 0) continue;
    for (const p of schema.params) {
      if (p.hint.widget !== 'model' || node.inputs[p.name]) continue;
      const v = node.params[p.name];
      if (typeof v === 'string' && v !== '' && !known.has(v)) (report.models[v] ??= []).push(`${id}.${p.name}`);
    }
  }
  return report;
}

export function isEmptyReport(r: MissingReport): boolean {
  return Object.keys(r.nodeTypes).length === 0 && Object.keys(r.models).length === 0;
}
