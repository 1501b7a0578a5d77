import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { RunRecord, RunSummary } from '../api/types.js';
import { NodeOutputs } from '../components/node-outputs.js';
import type { Actions } from '../app-actions.js';
import { useApp, useRunGlobal } from '../app-context.js';
import { fmtMs } from '../components/node-status.js';
import { RunRowInfo } from './run-row-info.js';
import { SweepGallery } from '../sweep/sweep-gallery.js';

/** Right-hand panels: the queue (running, pending, cancel, interrupt, pause) and the run history. */
export function RunPanels({
  actions,
  refreshKey,
  onProblem,
}: {
  actions: Actions;
  refreshKey: number;
  onProblem: (nodeId: string, field?: string) => void;
}) {
  const [tab, setTab] = useState<'queue' | 'history' | null>('queue');
  const { queue } = useRunGlobal();
  const count = (queue.running ? 1 : 0) + (queue.alsoRunning?.length ?? 0) + queue.pending.length;
  return (
    <aside className={'kg-side' + (tab ? '' : ' closed')}>
      <div className="kg-tabs">
        <button className={'kg-tab' + (tab === 'queue' ? ' active' : '')} onClick={() => setTab(tab === 'queue' ? null : 'queue')}>
          Queue{count ? ` (${count})` : ''}
        </button>
        <button className={'kg-tab' + (tab === 'history' ? ' active' : '')} onClick={() => setTab(tab === 'history' ? null : 'history')}>
          History
        </button>
      </div>
      <Problems onPick={onProblem} />
      {tab === 'queue' && <QueuePanel actions={actions} />}
      {tab === 'history' && <HistoryPanel actions={actions} refreshKey={refreshKey} />}
    </aside>
  );
}

/** What is wrong in the graph now, one line per issue; a click brings its node and field into view. */
function Problems({ onPick }: { onPick: (nodeId: string, field?: string) => void }) {
  const { problems } = useRunGlobal();
  const { store, schemas } = useApp();
  if (problems.length === 0) return null;
  return (
    <div className="kg-problems" data-testid="problems" role="list" aria-label="Problems">
      <div className="kg-problems-head">{problems.length === 1 ? '1 problem' : `${problems.length} problems`}</div>
      {problems.map((p, i) => {
        const node = p.nodeId ? store.doc.nodes[p.nodeId] : undefined;
        const title =
          (p.nodeId && store.doc.ui.nodes[p.nodeId]?.title) || (node && schemas.get(node.type)?.title) || node?.type || p.nodeId;
        return (
          <button
            key={i}
            role="listitem"
            className="kg-problem"
            data-node-id={p.nodeId}
            data-field={p.field}
            onClick={() => p.nodeId && onPick(p.nodeId, p.field)}
          >
            <b>{title}</b>
            {p.field ? ` · ${p.field}` : ''}: {p.message}
          </button>
        );
      })}
    </div>
  );
}

function QueuePanel({ actions }: { actions: Actions }) {
  const { queue } = useRunGlobal();
  const { runs } = useApp();
  const g = useRunGlobal();
  // Runs the user asked to stop: shown as such until the server's queue message removes them.
  const [stopping, setStopping] = useState<Record<string, true>>({});
  const stop = (runId: string, how: 'cancel' | 'interrupt') => {
    setStopping((s) => ({ ...s, [runId]: true }));
    void (how === 'cancel' ? actions.cancel(runId) : actions.interrupt()).finally(() =>
      setTimeout(() => setStopping(({ [runId]: _gone, ...rest }) => rest), 30_000),
    );
  };
  return (
    <div className="kg-panel" data-testid="queue">
      <div className="kg-panel-actions">
        <button
          className="kg-btn small"
          onClick={() =>
            void (queue.paused ? api.resume() : api.pause()).then((r) => runs.setGlobal({ queue: { ...queue, paused: r.paused } }))
          }
        >
          {queue.paused ? 'Resume queue' : 'Pause queue'}
        </button>
      </div>
      {queue.running ? (
        <div className="kg-run-row running" data-run-id={queue.running.runId}>
          <span className="kg-run-status running">running</span>
          <span className="kg-run-id">{queue.running.title ?? queue.running.runId}</span>
          <button
            className="kg-btn small danger"
            disabled={stopping[queue.running.runId]}
            onClick={() => stop(queue.running!.runId, 'interrupt')}
          >
            {stopping[queue.running.runId] ? 'Stopping…' : 'Interrupt'}
          </button>
          <RunRowInfo run={queue.running} />
        </div>
      ) : (
        <div className="kg-muted kg-pad">Nothing running{queue.paused ? ' (queue paused)' : ''}.</div>
      )}
      {/* Runs that other workers run at the same time (a Redis queue): running too, each can be stopped. */}
      {(queue.alsoRunning ?? []).map((r) => (
        <div key={r.runId} className="kg-run-row running" data-run-id={r.runId}>
          <span className="kg-run-status running">running</span>
          <span className="kg-run-id">{r.title ?? r.runId}</span>
          <button className="kg-btn small danger" disabled={stopping[r.runId]} onClick={() => stop(r.runId, 'cancel')}>
            {stopping[r.runId] ? 'Stopping…' : 'Interrupt'}
          </button>
          <RunRowInfo run={r} />
        </div>
      ))}
      {queue.pending.map((r) => (
        <div key={r.runId} className="kg-run-row pending">
          <span className="kg-run-status pending">pending</span>
          <span className="kg-run-id">{r.title ?? r.runId}</span>
          <button className="kg-btn small" disabled={stopping[r.runId]} onClick={() => stop(r.runId, 'cancel')}>
            {stopping[r.runId] ? 'Cancelling…' : 'Cancel'}
          </button>
          <RunRowInfo run={r} />
        </div>
      ))}
      {g.lastRun && (
        <div className={'kg-last-run ' + g.lastRun.status} data-testid="last-run" data-run-id={g.lastRun.runId}>
          Last run {g.lastRun.status}
          {g.lastRun.durationMs !== undefined ? ` in ${fmtMs(g.lastRun.durationMs)}` : ''}
          {g.lastRun.error ? `: ${g.lastRun.error.message}` : ''}
        </div>
      )}
      <SweepGallery />
    </div>
  );
}

function HistoryPanel({ actions, refreshKey }: { actions: Actions; refreshKey: number }) {
  const { runs, toast } = useApp();
  const [items, setItems] = useState<RunSummary[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  useEffect(() => {
    let live = true;
    api.history(0, 50).then(
      (p) => live && (setItems(p.items), setTotal(p.total)),
      (e) => live && toast(`History: ${(e as Error).message}`, 'error'),
    );
    return () => {
      live = false;
    };
  }, [refreshKey, toast]);

  const load = async (runId: string, rerun: boolean) => {
    try {
      const rec = await api.run(runId);
      if (rerun) return actions.rerun(rec.workflow);
      actions.loadDocument(rec.workflow, `Load run ${runId}`);
      const byNode = new Map<string, typeof rec.outputs>();
      for (const o of rec.outputs) byNode.set(o.nodeId, [...(byNode.get(o.nodeId) ?? []), o]);
      for (const [id, outs] of byNode) runs.patchNode(id, { outputs: outs.map((o) => ({ ...o, folder: o.folder as 'output' })) });
    } catch (e) {
      toast(`Could not load run ${runId}: ${(e as Error).message}`, 'error');
    }
  };

  if (!items) return <div className="kg-panel kg-muted kg-pad">Loading…</div>;
  return (
    <div className="kg-panel" data-testid="history">
      {items.length === 0 && <div className="kg-muted kg-pad">No runs yet.</div>}
      {items.map((r) => (
        <div key={r.runId}>
          <div className={'kg-run-row ' + r.status} data-run-id={r.runId}>
            <button
              className="kg-icon-btn"
              onClick={() => setOpen(open === r.runId ? null : r.runId)}
              title="Outputs and details"
              aria-label="Details"
            >
              {open === r.runId ? '▾' : '▸'}
            </button>
            <span className={'kg-run-status ' + r.status}>{r.status}</span>
            <span className="kg-run-id" title={r.runId}>
              {r.title ?? r.runId}
            </span>
            <button className="kg-btn small" onClick={() => void load(r.runId, false)} title="Load this run's workflow and outputs">
              Load
            </button>
            <button className="kg-btn small" onClick={() => void load(r.runId, true)} title="Queue this exact workflow again">
              Rerun
            </button>
            <RunRowInfo run={r} />
          </div>
          {open === r.runId && <RunDetails runId={r.runId} />}
        </div>
      ))}
      {total > items.length && <div className="kg-muted kg-pad">{total - items.length} older runs not shown</div>}
    </div>
  );
}

/** One past run: its outputs (playable, downloadable), what ran and what came from the cache, its error. */
function RunDetails({ runId }: { runId: string }) {
  const [rec, setRec] = useState<RunRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.run(runId).then(
      (r) => live && setRec(r),
      (e) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [runId]);
  if (error) return <div className="kg-run-details kg-field-error">{error}</div>;
  if (!rec) return <div className="kg-run-details kg-muted">Loading…</div>;
  const nodes = Object.values(rec.nodes);
  const cached = nodes.filter((n) => n.status === 'cached').length;
  const executed = nodes.filter((n) => n.status === 'executed').length;
  return (
    <div className="kg-run-details" data-testid="run-details">
      <div className="kg-muted">
        {executed} ran, {cached} from the cache
      </div>
      {rec.error && <div className="kg-field-error">{rec.error.message}</div>}
      {rec.outputs.length > 0 && <NodeOutputs outputs={rec.outputs.map((o) => ({ ...o, url: o.url }))} />}
    </div>
  );
}
