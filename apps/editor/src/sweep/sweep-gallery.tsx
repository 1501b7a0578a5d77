import { useEffect } from 'react';
import { api } from '../api/client.js';
import { useRunGlobal } from '../app-context.js';
import { NodeOutputs, outputUrl } from '../components/node-outputs.js';
import { sweepStore, useSweep, type SubmittedSweep } from './sweep-store.js';
import './sweep.css';

let checking = false;

/**
 * Notes which of the sweep's runs have ended (asking the server for the ones not known to have), and once all
 * have, asks for the contact grid of the ones that succeeded.
 */
async function followUp(last: SubmittedSweep): Promise<void> {
  if (checking) return;
  checking = true;
  try {
    const ended = { ...last.ended };
    for (const id of last.runIds.filter((r) => !ended[r])) {
      const rec = await api.run(id).catch(() => null);
      if (rec && rec.status !== 'queued' && rec.status !== 'running') ended[id] = rec.status;
    }
    const all = last.runIds.every((r) => ended[r]);
    if (!all || !last.grid) return sweepStore.updateLast({ ended, ...(all ? { phase: 'done' as const } : {}) });
    const ok = last.runIds.filter((r) => ended[r] === 'succeeded');
    if (!ok.length) return sweepStore.updateLast({ ended, phase: 'failed', message: 'no run succeeded: nothing to put in a grid' });
    sweepStore.updateLast({ ended, phase: 'grid' });
    try {
      const outputs = await api.grid(ok);
      sweepStore.updateLast({ phase: 'done', gridOutputs: outputs.map((o) => ({ ...o, folder: 'output' as const })) });
    } catch (e) {
      sweepStore.updateLast({ phase: 'failed', message: `contact grid: ${(e as Error).message}` });
    }
  } finally {
    checking = false;
  }
}

/** The queue panel's view of the last sweep: how many runs have ended, then its contact grid picture and video. */
export function SweepGallery() {
  const last = useSweep((s) => s.last);
  const { queue, lastRun } = useRunGlobal();
  // Which runs are queued or running: it changes when one starts or ends (not with every progress message).
  const moment = [
    queue.running?.runId,
    ...(queue.alsoRunning ?? []).map((r) => r.runId),
    ...queue.pending.map((r) => r.runId),
    lastRun?.runId,
  ].join(' ');
  useEffect(() => {
    if (last?.phase === 'running') void followUp(last);
  }, [last, moment]);
  if (!last) return null;
  const ended = Object.keys(last.ended).length;
  const n = last.runIds.length;
  // "2 interrupted, 1 failed": the runs that did not succeed, by how they ended.
  const notOk = new Map<string, number>();
  for (const s of Object.values(last.ended)) if (s !== 'succeeded') notOk.set(s, (notOk.get(s) ?? 0) + 1);
  const failed = [...notOk].map(([s, k]) => `${k} ${s}`).join(', ');
  return (
    <section className="kg-sweep-gallery" data-testid="sweep-gallery" data-phase={last.phase} aria-label="Sweep results">
      <div className="kg-sweep-gallery-head">
        <b>Sweep</b> · {n} runs · {ended === n ? 'all ended' : `${ended} of ${n} ended`}
        {failed ? ` · ${failed}` : ''}
        {last.phase === 'grid' ? ' · making the contact grid…' : ''}
        {last.phase === 'running' && last.grid ? ' · a contact grid follows' : ''}
      </div>
      {last.message && <div className="kg-field-error">{last.message}</div>}
      {last.gridOutputs && (
        <>
          <NodeOutputs outputs={last.gridOutputs} />
          {/* A side panel is too narrow to read the labels: the grid at full size in a tab of its own. */}
          <div className="kg-sweep-open">
            {last.gridOutputs.map((o) => (
              <a key={o.filename} className="kg-link" href={outputUrl(o)} target="_blank" rel="noreferrer">
                open the grid {o.kind === 'video' ? 'video' : 'picture'} full size
              </a>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
