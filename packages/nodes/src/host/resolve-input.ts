import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '@kinegraph/graph-core';

export interface ResolveInputOptions {
  /** The folder user file names live in. */
  inputDir: string;
  /** Further folders searched, in order, when the file is not in inputDir (the CLI adds the workflow's folder and the cwd). */
  searchDirs?: string[];
  /** The CLI lets a workflow name any absolute path; the server never does. */
  allowAbsolutePaths?: boolean;
}

/**
 * Turns a file name from a node parameter into a path. Names stay inside their folder: no '..' segments,
 * no NUL or control characters, no absolute paths unless the host allows them, and no symlink that
 * leads out of the folder.
 */
export function resolveInputPath(name: string, o: ResolveInputOptions): string {
  if (typeof name !== 'string' || name.trim() === '') throw new UserError('No file chosen');
  if (name.length > 4096) throw new UserError('File name is too long');
  if (/[\x00-\x1f\x7f]/.test(name)) throw new UserError(`File name "${printable(name)}" contains control characters`);
  // The CLI runs on the user's own files: any path goes, '..' included. Hosts serving others stay in the folder.
  const segments = name.split(/[\\/]+/);
  if (!o.allowAbsolutePaths && segments.includes('..')) throw new UserError(`File name "${name}" may not contain '..'`);

  if (path.isAbsolute(name) || /^[a-zA-Z]:[\\/]/.test(name)) {
    if (!o.allowAbsolutePaths) throw new UserError(`Absolute paths are not allowed here: "${name}" (upload the file instead)`);
    return path.normalize(name);
  }

  const roots = [o.inputDir, ...(o.searchDirs ?? [])];
  for (const root of roots) {
    const candidate = path.resolve(root, name);
    if (!o.allowAbsolutePaths && !insideFolder(candidate, root)) continue;
    if (!existsSync(candidate)) continue;
    if (!o.allowAbsolutePaths && !insideFolder(realpathSync(candidate), realpathSync(root))) {
      throw new UserError(`"${name}" links outside the input folder`);
    }
    return candidate;
  }
  // Not found anywhere: the inputDir path, so the node's "not found" error names the expected place.
  return path.resolve(o.inputDir, name);
}

function insideFolder(file: string, folder: string): boolean {
  const rel = path.relative(path.resolve(folder), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, '?');
}

/**
 * Resolves a node's file parameter and ties any refusal to that parameter, so the CLI and the editor
 * point at the field ("image.image: No file chosen") rather than at the whole node.
 */
export function resolveFileParam(paths: { resolveInput(name: string): string }, name: string, field: string): string {
  try {
    return paths.resolveInput(name);
  } catch (err) {
    if (err instanceof UserError && err.field === undefined) throw new UserError(err.message, field, { cause: err });
    throw err;
  }
}
