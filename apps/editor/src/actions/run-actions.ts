import { api, ApiError } from '../api/client.js';
import type { ActionDeps } from '../app-actions.js';
import { applySeedModes } from '../run/seed-after-run.js';
import { normalizeWorkflow } from '../store/empty-workflow.js';
import { rememberOwnRuns } from '../store/own-runs.js';
import { planFor } from '../sweep/sweep-plan.js';
import { sweepStore } from '../sweep/sweep-store.js';

/** Queueing runs (with batches and sweeps), rerunning, interrupting and cancelling. */
export function runActions(deps: ActionDeps) {
  const { store, runs, schemas, toast } = deps;
  const runActions = {
    /** Queues the workflow `batch` times; `front`: ahead of what is queued (Ctrl+Shift+Enter). */
    async run(batch = 1, front = false) {
      const doc = store.doc;
      runs.clearIssues();
      // Sweeps and for-each set in the editor: one run per variant, expanded by the server (POST /api/runs).
      const plan = planFor(doc, schemas, sweepStore.getState());
      if (!plan.ok) {
        toast(`Not queued: sweep ${plan.message}`, 'error');
        return [];
      }
      try {
        const res = await api.submit(doc, { batch, clientId: deps.clientId, ...(front ? { front } : {}), ...plan.body });
        rememberOwnRuns(
          runs,
          res.runs.map((r) => r.runId),
        );
        if (plan.count > 1)
          sweepStore.submitted(
            res.runs.map((r) => r.runId),
            sweepStore.getState().grid,
          );
        const where = front ? ' ahead of the queue' : '';
        toast(res.runs.length > 1 ? `Queued ${res.runs.length} runs${where}` : `Queued run ${res.runs[0]?.runId ?? ''}${where}`, 'info');
        applySeedModes(store, schemas, batch);
        return res.runs;
      } catch (e) {
        if (e instanceof ApiError && e.issues.length) {
          runs.setIssues(e.issues);
          toast(`Not queued: ${e.issues.length} problem(s), shown on the nodes`, 'error');
        } else toast(`Run failed to queue: ${(e as Error).message}`, 'error');
        return [];
      }
    },

    async rerun(workflow: unknown) {
      try {
        const res = await api.submit(normalizeWorkflow(workflow), { clientId: deps.clientId });
        rememberOwnRuns(
          runs,
          res.runs.map((r) => r.runId),
        );
        toast('Queued again', 'info');
      } catch (e) {
        toast(`Rerun failed: ${(e as Error).message}`, 'error');
      }
    },

    async interrupt() {
      await api.interrupt().catch((e) => toast(`Interrupt failed: ${(e as Error).message}`, 'error'));
    },

    async cancel(runId: string) {
      await api.cancel(runId).catch((e) => toast(`Cancel failed: ${(e as Error).message}`, 'error'));
    },
  };
  return runActions;
}
