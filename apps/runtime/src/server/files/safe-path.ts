import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../http-error.js';

/** A plain file name: no separators, no traversal, no control characters, not hidden. */
export function checkFileName(name: string): void {
  if (
    name.length === 0 ||
    name.length > 255 ||
    name.includes('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    name.startsWith('.') ||
    /[\x00-\x1f]/.test(name) ||
    path.isAbsolute(name)
  ) {
    throw new HttpError(400, 'bad_path', `"${name}" is not a plain file name`);
  }
}

/** A path inside a folder: up to four plain names joined by '/' (the shipped examples live in `input/assets/`). */
export function checkRelativeName(name: string): void {
  const segments = name.split('/');
  if (segments.length > 4) throw new HttpError(400, 'bad_path', `"${name}" is nested too deep`);
  for (const segment of segments) checkFileName(segment);
}

export interface FileInFolder {
  /** The folder, symlinks resolved. */
  root: string;
  /** The file's path below `root` (symlinks resolved), never empty and never leaving it. */
  relative: string;
}

/**
 * Resolves `name` inside `folder` and proves the real file (symlinks followed) is still inside it.
 * 400 for a name that tries to leave, 404 for a missing file or a link that points out.
 * The answer is split into root and relative path: a sender then judges only the part inside the folder,
 * so a data folder that itself sits under a dot folder (the default `.kinegraph/`) still serves.
 */
export async function resolveInFolder(folder: string, name: string): Promise<FileInFolder> {
  checkRelativeName(name);
  const root = await realpath(folder);
  let real: string;
  try {
    real = await realpath(path.join(root, name));
  } catch {
    throw new HttpError(404, 'not_found', `No file "${name}"`);
  }
  const relative = path.relative(root, real);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new HttpError(404, 'not_found', `No file "${name}"`);
  // A plain name that links to a hidden file inside the folder is as hidden as the file itself.
  if (relative.split(path.sep).some((segment) => segment.startsWith('.'))) throw new HttpError(404, 'not_found', `No file "${name}"`);
  const s = await stat(real);
  if (!s.isFile()) throw new HttpError(404, 'not_found', `No file "${name}"`);
  return { root, relative };
}
