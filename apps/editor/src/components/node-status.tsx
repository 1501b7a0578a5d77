import type { NodeSchema, WorkflowNode } from '../api/types.js';

export function fieldNames(schema: NodeSchema | undefined, node: WorkflowNode): Set<string> {
  return new Set([...(schema?.params.map((p) => p.name) ?? []), ...(schema?.inputs.map((i) => i.name) ?? []), ...Object.keys(node.inputs)]);
}

export function StatusBadge({ status, durationMs }: { status: string; durationMs?: number }) {
  if (status === 'cached')
    return (
      <span className="kg-badge cached" title="Result reused from the cache">
        cached
      </span>
    );
  if (status === 'executed' && durationMs !== undefined) return <span className="kg-badge done">{fmtMs(durationMs)}</span>;
  if (status === 'failed') return <span className="kg-badge failed">error</span>;
  if (status === 'pending') return <span className="kg-badge pending">queued</span>;
  return null;
}

export function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
