import { randomBytes } from 'node:crypto';
import { constants as fsConstants, existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError, type Services, type UiOutput } from '@kinegraph/graph-core';
import { PathsToken } from '../services.js';

const PREFIX = /^[\p{L}\p{N}_\- ]{1,80}$/u;

/** Why a filename prefix is refused, or undefined when it is fine. */
export function prefixProblem(prefix: string): string | undefined {
  return PREFIX.test(prefix.trim())
    ? undefined
    : `Filename prefix "${prefix}" may only hold letters, digits, '_', '-' and spaces (1-80 characters)`;
}

/**
 * For a save node's `checkParams`: a bad prefix is reported by validation (`kinegraph validate`, a 400 from
 * the server) instead of failing the run after every frame was rendered.
 */
export function checkPrefixParam(params: { filename_prefix: string }): Array<[string, string]> {
  const problem = prefixProblem(params.filename_prefix);
  return problem ? [['filename_prefix', problem]] : [];
}

/** A filename prefix from a parameter: letters, digits, '_', '-' and spaces only (no folders, no dots). */
export function checkPrefix(prefix: string, field = 'filename_prefix'): string {
  const problem = prefixProblem(prefix);
  if (problem) throw new UserError(problem, field);
  return prefix.trim();
}

/**
 * Writes a new output file `<prefix>_00001.<ext>` (the next free number) without ever overwriting one:
 * `write` fills a hidden partial file, which is then hard-linked under the first free name. Two runs
 * saving at once both succeed with different numbers. Returns the file name inside `dir`.
 */
export async function writeNewOutputFile(
  dir: string,
  prefix: string,
  ext: string,
  write: (partialPath: string) => Promise<void>,
): Promise<string> {
  const base = checkPrefix(prefix);
  await mkdir(dir, { recursive: true });
  const partial = path.join(dir, `.${randomBytes(6).toString('hex')}.partial.${ext}`);
  try {
    await write(partial);
    let n = await nextNumber(dir, base, ext);
    for (;;) {
      const name = `${base}_${String(n).padStart(5, '0')}.${ext}`;
      try {
        await claim(partial, path.join(dir, name));
        return name;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        n++;
      }
    }
  } finally {
    await rm(partial, { force: true });
  }
}

/** Gives the partial file its final name, failing with EEXIST rather than replacing a file. */
async function claim(partial: string, target: string): Promise<void> {
  try {
    await link(partial, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Some file systems (network shares, FAT) have no hard links: an exclusive copy keeps the promise.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    await copyFile(partial, target, fsConstants.COPYFILE_EXCL);
  }
}

async function nextNumber(dir: string, base: string, ext: string): Promise<number> {
  const pattern = new RegExp(`^${escapeRegExp(base)}_(\\d{5,})\\.${escapeRegExp(ext)}$`);
  let max = 0;
  for (const name of await readdir(dir)) {
    const m = pattern.exec(name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An output node's cached result stands only while the files it points at are still there (a user may delete them). */
export function outputFilesExist(result: { ui: UiOutput[] }, services: Services): boolean {
  const paths = services.get(PathsToken);
  return result.ui.every((u) => {
    if (!u.filename || (u.folder !== 'output' && u.folder !== 'temp')) return true;
    return existsSync(path.join(u.folder === 'output' ? paths.outputDir : paths.tempDir, u.filename));
  });
}

/**
 * What every node that writes a file for the user shares: it is an output node, and it is cached as 'pure'
 * rather than 'never' (an identical rerun is instant and points at the file already written; any change
 * upstream or in its parameters writes a new numbered file), unless that file has been deleted since.
 */
export const writesOutputFile = { isOutput: true, cache: 'pure', isResultValid: outputFilesExist } as const;
