import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { migrateWorkflow } from '@kinegraph/graph-core';
import { readEmbeddedWorkflow } from '@kinegraph/nodes';
import { recordedInputFolders } from '../server/files/input-folders.js';
import { CliError } from './exit-codes.js';

export interface LoadedWorkflow {
  /** Absolute path of the file. */
  file: string;
  /** The folder relative file names in its params are looked up in first. */
  dir: string;
  /** The document, migrated to the current format version (not yet validated). */
  doc: unknown;
  /** True when the workflow came out of a PNG, MP4, WebM or GIF that Kinegraph wrote. */
  embedded: boolean;
  /** For an embedded workflow: the folders the run that wrote the file found its inputs in (absolute). */
  recordedInputDirs: string[];
}

/**
 * Reads a workflow file, or the workflow embedded in an image or video Kinegraph wrote (the file alone
 * restores the graph). A missing file or broken JSON is a CliError naming the file.
 */
export async function loadWorkflowFile(file: string): Promise<LoadedWorkflow> {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `No workflow file at ${abs}` : `Could not read ${abs}: ${(err as Error).message}`);
  }
  const text = bytes.toString('utf8');
  if (!/^\s*[{[]/.test(text)) {
    const embedded = await readEmbeddedWorkflow(abs).catch(() => undefined);
    if (embedded !== undefined) {
      const dir = path.dirname(abs);
      // Only a written file's record counts: its folders are relative to where that file was written.
      return { file: abs, dir, doc: migrateWorkflow(embedded), embedded: true, recordedInputDirs: recordedInputFolders(embedded, dir) };
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${abs} is not valid JSON (nor an image or video with a Kinegraph workflow inside): ${(err as Error).message}`);
  }
  return { file: abs, dir: path.dirname(abs), doc: migrateWorkflow(doc), embedded: false, recordedInputDirs: [] };
}
