import type { Workflow } from '../api/types.js';
import type { SchemaMap } from '../graph/compat.js';
import type { SweepState } from './sweep-store.js';
import { planSweep, type SweepPlan } from './sweep-values.js';

/**
 * The sweeps that still fit the document (a sweep on a node since deleted, or of another workflow, is left out)
 * as the run request's fields and their run count.
 */
export function planFor(doc: Workflow, schemas: SchemaMap, s: SweepState): SweepPlan {
  return planSweep(
    Object.values(s.drafts),
    (d) => {
      const node = doc.nodes[d.nodeId];
      // A parameter turned into a linked input is not swept from the editor (its widget is gone).
      if (!node || node.inputs[d.param]) return undefined;
      return schemas.get(node.type)?.params.find((p) => p.name === d.param)?.hint;
    },
    s.zip,
  );
}
