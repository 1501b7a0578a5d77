import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import { Engine, ErrorCode, ResultCache, type GraphIssue, type UiOutput } from '@kinegraph/graph-core';
import { createNodeRegistry } from '@kinegraph/nodes';
import { DiskCache } from '../../server/cache/disk-cache.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { formatIssue, formatIssues } from '../format-issues.js';
import { withInputFolders } from '../../server/files/input-folders.js';
import { checkForCli, inputFoldersUsed } from '../check-for-cli.js';
import { createCliHost, makeOutDir } from '../host-for-cli.js';
import { eventJsonLine } from '../json-events.js';
import { loadWorkflowFile } from '../load-workflow.js';
import { createHumanPrinter, createJsonPrinter } from '../progress-printer.js';
import { applySetOverrides, parseSetOption } from '../set-overrides.js';

export interface RunCommandOptions {
  set: string[];
  target: string[];
  force: string[];
  out: string;
  inputDir?: string;
  models?: string;
  provider?: 'auto' | 'cpu' | 'webgpu';
  json?: boolean;
  /** A disk cache folder shared by runs: a rerun after one change executes only what the change reaches. */
  cache?: string;
  cacheMb?: string;
}

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export const consoleIo: CliIo = {
  stdout: (line) => process.stdout.write(line + '\n'),
  stderr: (line) => process.stderr.write(line + '\n'),
};

/** `kinegraph run`: validate (with --set applied), run, print the files written. Returns the exit status. */
export async function runCommand(file: string, o: RunCommandOptions, io: CliIo = consoleIo): Promise<number> {
  let loaded;
  try {
    loaded = await loadWorkflowFile(file);
  } catch (err) {
    // With --json a script gets the same line an invalid workflow gives, not an empty stdout.
    if (o.json && err instanceof CliError) {
      io.stdout(JSON.stringify({ type: 'validation_failed', issues: [{ code: ErrorCode.invalidDocument, message: err.message }] }));
    }
    throw err;
  }
  if (loaded.embedded) io.stderr(`Running the workflow embedded in ${loaded.file}`);
  const registry = createNodeRegistry();
  const applied = applySetOverrides(loaded.doc, o.set.map(parseSetOption), registry);
  for (const note of applied.notes) io.stderr(`note: ${note}`);

  const host = createCliHost({
    workflowDir: loaded.dir,
    outDir: o.out,
    inputDir: o.inputDir,
    recordedDirs: loaded.recordedInputDirs,
    modelsDir: o.models,
    provider: o.provider,
  });
  // The same check as `kinegraph validate` (and the server's submit): what it reports is what is refused here.
  const checked = await checkForCli(applied.doc, host, registry, { targets: o.target, force: o.force });
  const problems: GraphIssue[] = [...applied.problems, ...(checked.ok ? [] : checked.issues)];
  if (problems.length) {
    if (o.json) io.stdout(JSON.stringify({ type: 'validation_failed', issues: problems }));
    io.stderr(`${loaded.file} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
    io.stderr(formatIssues(problems));
    return ExitCode.invalid;
  }
  for (const warning of checked.ok ? checked.issues : []) io.stderr(formatIssue({ ...warning, severity: 'warning' }));
  // The files written say where their inputs were found, so `kinegraph run <written file>` reruns anywhere.
  const doc = withInputFolders(applied.doc, inputFoldersUsed(checked, host), host.outDir);

  await makeOutDir(host);
  const disk = o.cache ? await openCliCache(path.resolve(o.cache), Number(o.cacheMb ?? 8192)) : undefined;
  const cache = new ResultCache({ maxBytes: 2048 * 1024 * 1024, secondary: disk });
  const engine = new Engine({ registry, services: host, cache, hashFile: (ref) => host.hashFile(ref) });
  // With a shared cache, output nodes still run every time, so each run writes its files under --out.
  const outputNodes = disk && checked.ok ? Object.entries(checked.workflow.nodes).filter(([, n]) => registry.get(n.type)?.isOutput).map(([id]) => id) : [];
  const printer = o.json ? createJsonPrinter(io.stdout, eventJsonLine) : createHumanPrinter();

  // Ctrl-C interrupts the run (within one progress step); a second Ctrl-C leaves at once.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    io.stderr('Interrupting… (Ctrl-C again to quit now)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let result;
  try {
    result = await engine.run(doc, {
      targets: o.target.length ? o.target : undefined,
      force: [...o.force, ...outputNodes],
      signal: controller.signal,
      onEvent: (e) => printer.onEvent(e),
    });
  } finally {
    process.off('SIGINT', onSigint);
    printer.close();
    await host.models.unloadAll().catch(() => undefined);
    await disk?.close();
    // The temp folder is made for previews; left empty it would only clutter the user's --out folder.
    await rmdir(host.tempDir).catch(() => undefined);
  }

  const files = writtenFiles(result.ui, host);
  if (o.json) io.stdout(JSON.stringify({ type: 'cli_result', status: result.status, files, error: result.error ?? null }));
  else for (const f of files) io.stdout(f);

  if (result.status === 'interrupted') return ExitCode.interrupted;
  if (result.status === 'failed') {
    const issues = result.issues?.length ? result.issues : result.error ? [result.error] : [];
    // The human printer has already shown the failed node; JSON users get the summary on stderr too.
    if (o.json || result.issues?.length) io.stderr(formatIssues(issues));
    return result.issues?.length ? ExitCode.invalid : ExitCode.nodeFailed;
  }
  return ExitCode.ok;
}

/** The --cache folder; one that can not be created or read is a one-line error, not a stack trace. */
async function openCliCache(dir: string, megabytes: number): Promise<DiskCache> {
  try {
    return await DiskCache.open({ dir, maxBytes: megabytes * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
    throw new CliError(`Can not use --cache ${dir} as the cache folder: ${e.code ? `${e.code} (${why})` : why}`);
  }
}

/** Absolute paths of the files output nodes wrote (or reused from the cache), in node order. */
function writtenFiles(ui: Record<string, UiOutput[]>, host: { outDir: string; tempDir: string }): string[] {
  const files: string[] = [];
  for (const outputs of Object.values(ui)) {
    for (const u of outputs) {
      if (!u.filename) continue;
      if (u.folder === 'output') files.push(path.join(host.outDir, u.filename));
      else if (u.folder === 'temp') files.push(path.join(host.tempDir, u.filename));
    }
  }
  return files;
}
