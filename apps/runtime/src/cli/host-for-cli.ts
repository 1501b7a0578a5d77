import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createHostServices, type HostServices } from '@kinegraph/nodes';
import { WORKFLOWS_DIR } from '../server/repo-paths.js';
import { CliError } from './exit-codes.js';

export interface CliHostOptions {
  workflowDir: string;
  outDir: string;
  inputDir?: string;
  /** Folders the file itself says its inputs came from (a rerun of a file Kinegraph wrote). */
  recordedDirs?: string[];
  modelsDir?: string;
  provider?: 'auto' | 'cpu' | 'webgpu';
}

export type CliHost = HostServices & {
  outDir: string;
  tempDir: string;
  /** The folders relative file names are looked up in, in order. */
  inputRoots: string[];
  /** The folder of `inputRoots` a relative name was found in; undefined for an absolute path or a missing file. */
  rootOf(name: string): string | undefined;
};

/**
 * Services for a command-line run. Relative file names resolve in --input-dir (default: the workflow's
 * folder), then the folders an output file recorded for its inputs, then the workflow's folder, the current
 * directory and last the shipped examples' folder (where `assets/<name>` of the example workflows lives, as
 * the server's input folder holds a copy of them). Absolute paths are allowed: it is the user's own machine.
 * Outputs go to --out, previews to <out>/temp. Nothing is created on disk here (see makeOutDir).
 */
export function createCliHost(o: CliHostOptions): CliHost {
  const outDir = path.resolve(o.outDir);
  const tempDir = path.join(outDir, 'temp');
  const inputDir = path.resolve(o.inputDir ?? o.workflowDir);
  const candidates = [inputDir, ...(o.recordedDirs ?? []), o.workflowDir, process.cwd(), WORKFLOWS_DIR];
  const inputRoots = [...new Set(candidates.map((d) => path.resolve(d)))];
  const services = createHostServices({
    inputDir,
    outputDir: outDir,
    tempDir,
    modelsDir: path.resolve(o.modelsDir ?? 'models'),
    searchDirs: inputRoots.slice(1),
    allowAbsolutePaths: true,
    executionProvider: o.provider,
  });
  const rootOf = (name: string): string | undefined => {
    if (path.isAbsolute(name)) return undefined;
    const found = services.paths.resolveInput(name);
    // resolveInput answers the first root holding the name, as path.resolve(root, name).
    return inputRoots.find((root) => path.resolve(root, name) === found);
  };
  return Object.assign(services, { outDir, tempDir, inputRoots, rootOf });
}

/** Creates --out; a file in the way, no permission or a read-only disk is the user's to fix, not a stack trace. */
export async function makeOutDir(host: { outDir: string }): Promise<void> {
  try {
    await mkdir(host.outDir, { recursive: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
    throw new CliError(`Can not use --out ${host.outDir} as the output folder: ${e.code ? `${e.code} (${why})` : why}`);
  }
}
