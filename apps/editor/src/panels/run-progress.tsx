import { useEffect } from 'react';
import { useEditor, useRunGlobal } from '../app-context.js';
import { progressShare, secondsLeft } from '../store/run-store.js';

/** The running run as a whole (percent and time left), also shown in the tab's title. */
export function RunProgress() {
  const { progress } = useRunGlobal();
  const name = useEditor((s) => s.doc.meta?.name);
  const pct = progress ? Math.floor(progressShare(progress) * 100) : null;
  const left = progress ? secondsLeft(progress, Date.now()) : undefined;
  useEffect(() => {
    const base = name ? `${name} · Kinegraph` : 'Kinegraph';
    document.title = pct === null ? base : `${pct}% · ${base}`;
  }, [pct, name]);
  if (!progress || pct === null) return null;
  return (
    <div
      className="kg-run-progress"
      data-testid="run-progress"
      role="progressbar"
      aria-label="Run progress"
      aria-valuenow={pct}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="kg-run-progress-bar" style={{ width: pct + '%' }} />
      <span className="kg-run-progress-text" title={`${progress.done} of ${progress.total} nodes done`}>
        {pct}%{left !== undefined ? ` · ${fmtLeft(left)} left` : ''}
      </span>
    </div>
  );
}

function fmtLeft(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
