import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import {
  applyVariant,
  Engine,
  ErrorCode,
  ResultCache,
  variantLabel,
  variantParams,
  type GraphIssue,
  type NodeRegistry,
  type UiOutput,
  type Variant,
} from '@kinegraph/graph-core';
import { createNodeRegistry, describeProviderChoice } from '@kinegraph/nodes';
import { DiskCache } from '../../server/cache/disk-cache.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { formatIssue, formatIssues } from '../format-issues.js';
import { withInputFolders } from '../../server/files/input-folders.js';
import type { CheckResult } from '../../server/run/check-workflow.js';
import { checkForCli, inputFoldersUsed } from '../check-for-cli.js';
import { createCliHost, makeOutDir, type CliHost } from '../host-for-cli.js';
import { checkGridFile, writeVariantGrid, type VariantResult } from '../variant-grid.js';
import { cliVariants } from '../variants.js';
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
  /** --sweep node.param=values (ranges, lists, @file); repeatable. */
  sweep?: string[];
  /** --each node.param=<glob>: once per matching file; repeatable. */
  each?: string[];
  /** Pair the axes position by position instead of every combination. */
  zip?: boolean;
  /** Write a labelled contact grid of the variants here (a PNG, plus an MP4 beside it for videos). */
  grid?: string;
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
  const variants = await cliVariants(o);
  // Said before anything runs, not after an hour of variants.
  if (o.grid) checkGridFile(o.grid);
  const many = variants.length > 1 || variants[0].settings.length > 0;
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
  // Every variant is checked before any runs: a typo in the third one is not found after an hour of the first two.
  const prepared: PreparedVariant[] = [];
  for (const variant of variants) {
    const v = applyVariant(applied.doc, variant, registry);
    // The same check as `kinegraph validate` (and the server's submit): what it reports is what is refused here.
    const checked = await checkForCli(v.doc, host, registry, { targets: o.target, force: o.force });
    const problems: GraphIssue[] = [...applied.problems, ...v.problems, ...(checked.ok ? [] : checked.issues)];
    if (problems.length) {
      const which = many ? ` with ${variantLabel(variant)}` : '';
      if (o.json)
        io.stdout(JSON.stringify({ type: 'validation_failed', issues: problems, ...(many ? { variant: variantParams(variant) } : {}) }));
      io.stderr(`${loaded.file}${which} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
      io.stderr(formatIssues(problems));
      return ExitCode.invalid;
    }
    if (prepared.length === 0)
      for (const warning of checked.ok ? checked.issues : []) io.stderr(formatIssue({ ...warning, severity: 'warning' }));
    // The files written say where their inputs were found, so `kinegraph run <written file>` reruns anywhere.
    prepared.push({ variant, params: v.params, checked, doc: withInputFolders(v.doc, inputFoldersUsed(checked, host), host.outDir) });
  }

  await makeOutDir(host);
  const disk = o.cache ? await openCliCache(path.resolve(o.cache), Number(o.cacheMb ?? 8192)) : undefined;
  if (!o.json) io.stderr(`Execution provider: ${describeProviderChoice(o.provider)}`);
  // One engine and cache for all variants: what a variant does not change (the encoded photo, the prompt) runs once.
  const cache = new ResultCache({ maxBytes: 2048 * 1024 * 1024, secondary: disk });
  const engine = new Engine({ registry, services: host, cache, hashFile: (ref) => host.hashFile(ref) });

  // Ctrl-C interrupts the run (within one progress step); a second Ctrl-C leaves at once.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    io.stderr('Interrupting… (Ctrl-C again to quit now)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let exit: number = ExitCode.ok;
  const results: VariantResult[] = [];
  try {
    for (const p of prepared) {
      const label = variantLabel(p.variant);
      if (many) {
        if (o.json)
          io.stdout(JSON.stringify({ type: 'variant_started', index: p.variant.index, count: prepared.length, label, params: p.params }));
        io.stderr(`Variant ${p.variant.index + 1}/${prepared.length}: ${label}`);
      }
      const code = await runOne(p, { engine, registry, host, disk: !!disk, signal: controller.signal, o, io, many });
      results.push({ variant: p.variant, files: code.files });
      if (code.exit !== ExitCode.ok && exit === ExitCode.ok) exit = code.exit;
      if (code.exit === ExitCode.interrupted) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
    await host.models.unloadAll().catch(() => undefined);
    await disk?.close();
    // The temp folder is made for previews; left empty it would only clutter the user's --out folder.
    await rmdir(host.tempDir).catch(() => undefined);
  }
  if (o.grid && exit === ExitCode.ok) {
    const written = await writeVariantGrid(path.resolve(o.grid), results);
    if (o.json) io.stdout(JSON.stringify({ type: 'grid_written', files: written }));
    else for (const f of written) io.stdout(f);
  }
  return exit;
}

interface PreparedVariant {
  variant: Variant;
  /** The values as set, recorded in events (and, as meta.variant, in every file written). */
  params: Record<string, unknown>;
  checked: CheckResult;
  doc: unknown;
}

/** One variant through the shared engine; prints its files (and, with --json, its cli_result line). */
async function runOne(
  p: PreparedVariant,
  c: {
    engine: Engine;
    registry: NodeRegistry;
    host: CliHost;
    disk: boolean;
    signal: AbortSignal;
    o: RunCommandOptions;
    io: CliIo;
    many: boolean;
  },
): Promise<{ exit: number; files: string[] }> {
  const { o, io, registry } = c;
  // Output nodes run every time with a shared cache, so each run writes its files under --out.
  const outputNodes =
    c.disk && p.checked.ok
      ? Object.entries(p.checked.workflow.nodes)
          .filter(([, n]) => registry.get(n.type)?.isOutput)
          .map(([id]) => id)
      : [];
  const printer = o.json ? createJsonPrinter(io.stdout, eventJsonLine) : createHumanPrinter();
  let result;
  try {
    result = await c.engine.run(p.doc, {
      targets: o.target.length ? o.target : undefined,
      force: [...o.force, ...outputNodes],
      signal: c.signal,
      onEvent: (e) => printer.onEvent(e),
    });
  } finally {
    printer.close();
  }
  const files = writtenFiles(result.ui, c.host);
  const variant = c.many ? { variant: { index: p.variant.index, params: p.params } } : {};
  if (o.json) io.stdout(JSON.stringify({ type: 'cli_result', status: result.status, files, error: result.error ?? null, ...variant }));
  else for (const f of files) io.stdout(f);

  if (result.status === 'interrupted') return { exit: ExitCode.interrupted, files };
  if (result.status === 'failed') {
    const issues = result.issues?.length ? result.issues : result.error ? [result.error] : [];
    // The human printer has already shown the failed node; JSON users get the summary on stderr too.
    if (o.json || result.issues?.length) io.stderr(formatIssues(issues));
    return { exit: result.issues?.length ? ExitCode.invalid : ExitCode.nodeFailed, files };
  }
  return { exit: ExitCode.ok, files };
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
