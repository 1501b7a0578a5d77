import { api } from '../api/client.js';
import type { ActionDeps } from '../app-actions.js';
import { downloadWorkflow, isWorkflowFile, readJsonFile } from '../files/workflow-files.js';
import { emptyWorkflow, readWorkflow } from '../store/empty-workflow.js';

/** Opening, replacing and saving the document. */
export function documentActions({ store, runs, canvas, toast }: ActionDeps) {
  const documents = {
    /** Replaces the document (one undo step) and fits the view; what is missing shows in the missing-items banner. */
    loadDocument(input: unknown, label = 'Open workflow') {
      const { doc, unplaced } = readWorkflow(input);
      store.load(doc, label);
      runs.resetNodes();
      runs.clearIssues();
      // Arrange once drawn if nodes came without a position or their real boxes overlap (kept otherwise).
      canvas.current?.arrangeOnceMeasured(undefined, unplaced.length > 0);
      requestAnimationFrame(() => canvas.current?.fitView());
    },

    /** An empty canvas (undoable, like any load). */
    newWorkflow() {
      store.load(emptyWorkflow(), 'New workflow');
      runs.resetNodes();
      runs.clearIssues();
    },

    save() {
      downloadWorkflow(store.doc);
    },

    async openFile(file: File) {
      try {
        if (isWorkflowFile(file)) documents.loadDocument(await readJsonFile(file), `Open ${file.name}`);
        else documents.loadDocument(await api.workflowFromFile(file), `Open ${file.name}`);
      } catch (e) {
        toast(`Could not open ${file.name}: ${(e as Error).message}`, 'error');
      }
    },
  };
  return documents;
}
export type DocumentActions = ReturnType<typeof documentActions>;
