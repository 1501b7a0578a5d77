import { validateWorkflow } from '@kinegraph/graph-core';
import { createNodeRegistry } from '@kinegraph/nodes';
import { ExitCode } from '../exit-codes.js';
import { formatIssues } from '../format-issues.js';
import { loadWorkflowFile } from '../load-workflow.js';
import { consoleIo, type CliIo } from './run.js';

/** `kinegraph validate`: every problem at once, `nodeId.field: message`; exit 1 when any is an error. */
export async function validateCommand(file: string, o: { json?: boolean }, io: CliIo = consoleIo): Promise<number> {
  const loaded = await loadWorkflowFile(file);
  const result = validateWorkflow(loaded.doc, createNodeRegistry());
  const nodeCount = result.workflow ? Object.keys(result.workflow.nodes).length : undefined;
  if (o.json) {
    io.stdout(JSON.stringify({ ok: result.ok, file: loaded.file, nodes: nodeCount, issues: result.issues }));
  } else if (result.ok) {
    io.stdout(`${loaded.file}: valid (${nodeCount} nodes)`);
    if (result.issues.length) io.stderr(formatIssues(result.issues.map((i) => ({ ...i, severity: 'warning' as const }))));
  } else {
    io.stderr(`${loaded.file} is not valid (${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}):`);
    io.stderr(formatIssues(result.issues));
  }
  return result.ok ? ExitCode.ok : ExitCode.invalid;
}
