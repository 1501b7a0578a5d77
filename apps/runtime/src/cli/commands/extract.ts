import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readEmbeddedWorkflow } from '@kinegraph/nodes';
import { CliError, ExitCode } from '../exit-codes.js';
import { consoleIo, type CliIo } from './run.js';

/** `kinegraph extract <file>`: the workflow a PNG, MP4, WebM or GIF carries, as JSON (stdout or --out). */
export async function extractCommand(file: string, o: { out?: string }, io: CliIo = consoleIo): Promise<number> {
  const abs = path.resolve(file);
  const workflow = await readEmbeddedWorkflow(abs).catch((err: Error) => {
    throw new CliError(`Could not read ${abs}: ${err.message}`);
  });
  if (workflow === undefined) throw new CliError(`${abs} carries no Kinegraph workflow`);
  const json = JSON.stringify(workflow, null, 2);
  if (o.out) {
    await writeFile(path.resolve(o.out), json + '\n');
    io.stderr(`Wrote ${path.resolve(o.out)}`);
  } else io.stdout(json);
  return ExitCode.ok;
}
