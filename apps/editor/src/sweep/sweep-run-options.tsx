import { useApp, useEditor } from '../app-context.js';
import { planFor } from './sweep-plan.js';
import { sweepStore, useSweep } from './sweep-store.js';
import './sweep.css';

/** The plan of the sweeps set now (recomputed when the document or a sweep changes). */
export function useSweepPlan() {
  const { schemas } = useApp();
  const doc = useEditor((s) => s.doc);
  const state = useSweep((s) => s);
  return { plan: planFor(doc, schemas, state), axes: Object.keys(state.drafts).length, zip: state.zip, grid: state.grid };
}

/** Beside the Run button while sweeping: the run count, zip or every combination, and the contact grid. */
export function SweepRunOptions() {
  const { plan, axes, zip, grid } = useSweepPlan();
  if (axes === 0) return null;
  return (
    <div className="kg-sweep-options" data-testid="sweep-options">
      <span className={'kg-sweep-count' + (plan.ok ? '' : ' bad')} title={plan.ok ? plan.labels.join(', ') : plan.message}>
        {plan.ok ? `${plan.count} variant${plan.count === 1 ? '' : 's'}` : 'sweep: ' + plan.message}
      </span>
      {plan.ok && <span className="kg-sweep-axes">{plan.labels.join(zip ? ' + ' : ' × ')}</span>}
      {axes > 1 && (
        <label className="kg-check" title="Off: every combination of the values. On: the first values together, then the second, and so on">
          <input type="checkbox" checked={zip} onChange={(e) => sweepStore.setZip(e.target.checked)} /> zip
        </label>
      )}
      <label
        className="kg-check"
        title="When every run has ended: one picture (first, middle and last frame of each) and one video playing them in sync"
      >
        <input type="checkbox" checked={grid} onChange={(e) => sweepStore.setGrid(e.target.checked)} /> make a contact grid
      </label>
      <button className="kg-icon-btn" title="Stop sweeping (run once again)" aria-label="Clear sweeps" onClick={() => sweepStore.clear()}>
        ✕
      </button>
    </div>
  );
}

/** The Run button's label: the number of runs it queues when that is more than one. */
export function RunLabel({ batch }: { batch: number }) {
  const { plan, axes } = useSweepPlan();
  const runs = (axes && plan.ok ? plan.count : 1) * batch;
  return <>{runs > 1 ? `▶ Run ${runs}` : '▶ Run'}</>;
}
