import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { faultPoint } from './fault-injection.js';
import { StoreError } from './store-error.js';

/**
 * Writes JSON so that a crash mid-write leaves either the old or the new file, never half of one; fsync'd, so
 * once it resolves the file survives a power cut too. Serialising and writing fail as a StoreError.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new StoreError('too_large', `Could not serialise ${file}: ${(e as Error).message}`, { cause: e });
  }
  faultPoint('before', file);
  try {
    await writeFileAtomic(file, text, { encoding: 'utf8', fsync: true });
  } catch (e) {
    throw new StoreError('io', `Could not write ${file}: ${(e as Error).message}`, { cause: e });
  }
  faultPoint('after', file);
}

/** Reads and validates a JSON file; undefined when it does not exist. Throws with the file name when it is invalid. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new Error(`${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
