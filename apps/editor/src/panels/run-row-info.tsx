import { useEffect, useState } from 'react';
import { api, withToken } from '../api/client.js';
import type { RunRecord, RunSummary } from '../api/types.js';
import { fmtMs } from '../components/node-status.js';

/** Records of finished runs never change: fetched once per page. */
const finished = new Map<string, Promise<RunRecord>>();

function record(r: RunSummary): Promise<RunRecord> {
  if (r.status === 'queued' || r.status === 'running') return api.run(r.runId);
  let p = finished.get(r.runId);
  if (!p) finished.set(r.runId, (p = api.run(r.runId)));
  p.catch(() => finished.delete(r.runId));
  return p;
}

type Nodes = Record<string, { type?: string; params?: Record<string, unknown>; inputs?: Record<string, [string, string]> }>;

/** What tells one run from another: the seed and the (positive) prompt it ran with. */
export function runTraits(workflow: Record<string, unknown>): { seed?: number; prompt?: string } {
  const nodes = (workflow.nodes ?? {}) as Nodes;
  const list = Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b));
  const seed = list.map(([, n]) => n.params?.seed).find((v): v is number => typeof v === 'number');
  const positive = list.map(([, n]) => n.inputs?.positive?.[0]).find((id) => id !== undefined);
  const texts = (id: string | undefined) => (id ? (nodes[id]?.params?.text ?? nodes[id]?.params?.prompt) : undefined);
  const prompt = [texts(positive), ...list.map(([, n]) => n.params?.text ?? n.params?.prompt)].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  return { seed, prompt };
}

/** A sweep run's own values, `seed = 3 · motion = low` (the parameter names, without their node ids). */
export function variantText(variant: Record<string, unknown>): string {
  return Object.entries(variant)
    .map(
      ([key, v]) => `${key.slice(key.lastIndexOf('.') + 1)} = ${typeof v === 'string' && v.length > 40 ? v.slice(0, 40) + '…' : String(v)}`,
    )
    .join(' · ');
}

/** The full date and time of a run, its length, and from its record a thumbnail, the seed and a prompt excerpt. */
export function RunRowInfo({ run }: { run: RunSummary }) {
  const [rec, setRec] = useState<RunRecord | null>(null);
  useEffect(() => {
    let live = true;
    record(run).then(
      (r) => live && setRec(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // Fetched again only when the run's id or status changes, not for every new summary object.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run.runId, run.status]);
  const traits = rec ? runTraits(rec.workflow) : {};
  const media = rec?.outputs.find((o) => o.mime?.startsWith('image/') || o.mime?.startsWith('video/'));
  const when = new Date(run.createdAt);
  return (
    <div className="kg-run-info">
      {media ? (
        media.mime!.startsWith('video/') ? (
          <video
            className="kg-run-thumb"
            src={withToken(media.url) + '#t=0.1'}
            preload="metadata"
            muted
            playsInline
            data-testid="run-thumb"
          />
        ) : (
          <img className="kg-run-thumb" src={withToken(media.url)} alt="" loading="lazy" data-testid="run-thumb" />
        )
      ) : (
        <div className="kg-run-thumb empty" />
      )}
      <div className="kg-run-text">
        <div className="kg-run-when" title={run.runId}>
          {when.toLocaleDateString()} {when.toLocaleTimeString()}
          {run.durationMs !== undefined ? ` · ${fmtMs(run.durationMs)}` : ''}
        </div>
        {rec?.variant && (
          <div className="kg-run-variant" data-testid="run-variant" title={variantText(rec.variant)}>
            {variantText(rec.variant)}
          </div>
        )}
        {traits.seed !== undefined && !Object.keys(rec?.variant ?? {}).some((k) => k.endsWith('.seed')) && (
          <div className="kg-run-seed">seed {traits.seed}</div>
        )}
        {traits.prompt && (
          <div className="kg-run-prompt" title={traits.prompt}>
            “{traits.prompt.length > 70 ? traits.prompt.slice(0, 70) + '…' : traits.prompt}”
          </div>
        )}
      </div>
    </div>
  );
}
