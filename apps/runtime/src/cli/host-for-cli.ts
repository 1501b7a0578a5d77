import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createHostServices, type HostServices } from '@kinegraph/nodes';
import { CliError } from './exit-codes.js';

export interface CliHostOptions {
  workflowDir: string;
  outDir: string;
  inputDir?: string;
  modelsDir?: string;
  provider?: 'auto' | 'cpu' | 'webgpu';
}

/**
 * Services for a command-line run: relative file names resolve in --input-dir (default: the workflow's
 * folder), then the workflow's folder, then the current directory; absolute paths are allowed (it is the
 * user's own machine). Outputs go to --out, previews to <out>/temp.
 */
export async function createCliHost(o: CliHostOptions): Promise<HostServices & { outDir: string; tempDir: string }> {
  const outDir = path.resolve(o.outDir);
  const tempDir = path.join(outDir, 'temp');
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    // A file in the way, no permission, a read-only disk: the user's mistake to fix, not a crash with a stack.
    const e = err as NodeJS.ErrnoException;
    const why = e.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
    throw new CliError(`Can not use --out ${outDir} as the output folder: ${e.code ? `${e.code} (${why})` : why}`);
  }
  const inputDir = path.resolve(o.inputDir ?? o.workflowDir);
  const searchDirs = [...new Set([o.workflowDir, process.cwd()].map((d) => path.resolve(d)))].filter((d) => d !== inputDir);
  const services = createHostServices({
    inputDir,
    outputDir: outDir,
    tempDir,
    modelsDir: path.resolve(o.modelsDir ?? 'models'),
    searchDirs,
    allowAbsolutePaths: true,
    executionProvider: o.provider,
  });
  return Object.assign(services, { outDir, tempDir });
}
