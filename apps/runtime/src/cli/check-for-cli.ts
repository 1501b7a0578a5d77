import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError, type NodeRegistry } from '@kinegraph/graph-core';
import { checkWorkflow, type CheckResult } from '../server/run/check-workflow.js';
import type { CliHost } from './host-for-cli.js';

/**
 * The server's pre-run check (document, something to run, input files, models) with the CLI's folders:
 * `validate` and `run` call this one function, so they can not disagree. A missing relative file names
 * every folder that was searched, since that is what the user needs to fix it.
 */
export function checkForCli(
  doc: unknown,
  host: CliHost,
  registry: NodeRegistry,
  o: { targets?: string[]; force?: string[] } = {},
): Promise<CheckResult> {
  const hashFile = async (ref: string) => {
    try {
      return await host.hashFile(ref);
    } catch (err) {
      if (err instanceof UserError && !path.isAbsolute(ref) && !existsSync(host.paths.resolveInput(ref))) {
        throw new UserError(`File "${ref}" not found (looked in ${host.inputRoots.join(', ')}; --input-dir names another folder)`);
      }
      throw err;
    }
  };
  return checkWorkflow(doc, { registry, services: host, hashFile, targets: o.targets?.length ? o.targets : undefined, force: o.force });
}

/** The folders the run's relative inputs were found in (recorded in the files it writes). */
export function inputFoldersUsed(checked: CheckResult, host: CliHost): string[] {
  const roots = Object.keys(checked.inputHashes).map((ref) => host.rootOf(ref));
  return [...new Set(roots.filter((r): r is string => r !== undefined))];
}
