import type { GraphIssue, Workflow } from '../api/types.js';

/**
 * Whether an issue shown on a node still stands after an edit from `prev` to `next`: one about a field goes once
 * that field (its value or its link) changed, one about the node as a whole once the node changed, and any once
 * its node is gone. The user fixed (or at least touched) what it was about, so it should not linger until the next
 * run; Run checks the whole graph again and shows what is still wrong.
 */
export function issueStands(issue: GraphIssue, prev: Workflow, next: Workflow): boolean {
  const id = issue.nodeId;
  if (!id) return true;
  const a = prev.nodes[id];
  const b = next.nodes[id];
  if (!b) return false;
  if (!a || a === b) return true;
  const field = issue.field?.split('.')[0];
  if (!field) return a.type === b.type && same(a.params, b.params) && same(a.inputs, b.inputs);
  return same(a.params[field], b.params[field]) && same(a.inputs[field], b.inputs[field]);
}

function same(x: unknown, y: unknown): boolean {
  return x === y || JSON.stringify(x) === JSON.stringify(y);
}
