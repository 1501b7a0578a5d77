import { ErrorCode, type GraphIssue } from './errors.js';

/**
 * Targets (`--target`, `targets`) and forced nodes (`--force`, `force`) that are no node of the workflow: one
 * issue each, naming the nodes there are. The engine and the host's pre-run check both use this, so a run
 * is refused with the same words wherever it starts. A forced id that is no node would silently force nothing.
 */
export function unknownNodeIssues(nodeIds: readonly string[], o: { targets?: readonly string[]; force?: readonly string[] }): GraphIssue[] {
  const known = new Set(nodeIds);
  const list = nodeIds.join(', ') || 'none';
  const unknown = (ids: readonly string[] | undefined, what: string): GraphIssue[] =>
    (ids ?? [])
      .filter((id) => !known.has(id))
      .map((id) => ({
        code: ErrorCode.unknownTarget,
        nodeId: id,
        message: `${what} "${id}" is not a node of the workflow (nodes: ${list})`,
      }));
  return [...unknown(o.force, 'Forced node'), ...unknown(o.targets, 'Target')];
}
