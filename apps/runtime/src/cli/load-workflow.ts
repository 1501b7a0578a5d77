import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { migrateWorkflow } from '@kinegraph/graph-core';
import { CliError } from './exit-codes.js';

export interface LoadedWorkflow {
  /** Absolute path of the file. */
  file: string;
  /** The folder relative file names in its params are looked up in first. */
  dir: string;
  /** The document, migrated to the current format version (not yet validated). */
  doc: unknown;
}

/** Reads a workflow file; a missing file or broken JSON is a CliError naming the file. */
export async function loadWorkflowFile(file: string): Promise<LoadedWorkflow> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `No workflow file at ${abs}` : `Could not read ${abs}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${abs} is not valid JSON: ${(err as Error).message}`);
  }
  return { file: abs, dir: path.dirname(abs), doc: migrateWorkflow(doc) };
}
