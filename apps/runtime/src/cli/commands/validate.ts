import path from 'node:path';
import { ErrorCode } from '@kinegraph/graph-core';
import { createNodeRegistry } from '@kinegraph/nodes';
import { checkForCli } from '../check-for-cli.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { formatIssues } from '../format-issues.js';
import { createCliHost } from '../host-for-cli.js';
import { loadWorkflowFile } from '../load-workflow.js';
import { consoleIo, type CliIo } from './run.js';

export interface ValidateCommandOptions {
  json?: boolean;
  inputDir?: string;
  models?: string;
}

/**
 * `kinegraph validate`: every problem at once, `nodeId.field: message`; exit 1 when any is an error. It runs
 * the same check as `kinegraph run` (input files found, models known, an output node present), with the same
 * folders, so a workflow `validate` passes is one `run` starts. Nothing is written.
 */
export async function validateCommand(file: string, o: ValidateCommandOptions, io: CliIo = consoleIo): Promise<number> {
  let loaded;
  try {
    loaded = await loadWorkflowFile(file);
  } catch (err) {
    // Scripts reading --json get an answer on stdout for an unreadable file too, not only a line on stderr.
    if (o.json && err instanceof CliError) {
      io.stdout(
        JSON.stringify({ ok: false, file: path.resolve(file), issues: [{ code: ErrorCode.invalidDocument, message: err.message }] }),
      );
    }
    throw err;
  }
  const registry = createNodeRegistry();
  // --out is never created: validate writes nothing.
  const host = createCliHost({
    workflowDir: loaded.dir,
    outDir: 'out',
    inputDir: o.inputDir,
    recordedDirs: loaded.recordedInputDirs,
    modelsDir: o.models,
  });
  const result = await checkForCli(loaded.doc, host, registry);
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
