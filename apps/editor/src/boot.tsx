import { useEffect, useState } from 'react';
import { api } from './api/client.js';
import type { ModelInfo, NodeSchema, Workflow } from './api/types.js';
import { App } from './app.js';
import { openWorkspace } from './store/autosave.js';
import { emptyWorkflow, normalizeWorkflow } from './store/empty-workflow.js';

export const DEFAULT_WORKFLOW = 'photo-to-video';

interface Loaded {
  schemas: NodeSchema[];
  models: ModelInfo[];
  doc: Workflow;
  /** This tab's autosave slot. */
  slot: string;
  notice?: string;
}

/** Fetches what the editor is built from (node types, models) and the first document, then starts the app. */
export function Boot() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const [schemas, models] = await Promise.all([api.nodes(), api.models().catch(() => [] as ModelInfo[])]);
      const { slot, doc: saved } = await openWorkspace();
      let doc = saved;
      let notice: string | undefined;
      if (!doc) {
        try {
          doc = normalizeWorkflow(unwrapWorkflow(await api.workflow(DEFAULT_WORKFLOW)));
          // A first visit fits the graph to this window rather than to the author's.
          delete doc.ui.viewport;
        } catch (e) {
          doc = emptyWorkflow();
          notice = `Could not load the default workflow: ${(e as Error).message}`;
        }
      }
      if (!cancelled) setLoaded({ schemas, models, doc, slot, notice });
    })().catch((e) => !cancelled && setError((e as Error).message));
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(() => {
    if (!error) return;
    const t = setTimeout(() => (setError(null), setAttempt((a) => a + 1)), 2000);
    return () => clearTimeout(t);
  }, [error]);

  if (loaded) return <App {...loaded} />;
  return (
    <div className="kg-boot">
      <div className="kg-boot-logo">Kinegraph</div>
      {error ? <div className="kg-boot-error">Cannot reach the runtime: {error}. Retrying…</div> : <div>Loading node library…</div>}
    </div>
  );
}

/** The workflow route may answer the document itself or `{ workflow }`. */
export function unwrapWorkflow(body: unknown): unknown {
  if (body && typeof body === 'object' && !('format' in body) && 'workflow' in body) return (body as { workflow: unknown }).workflow;
  return body;
}
