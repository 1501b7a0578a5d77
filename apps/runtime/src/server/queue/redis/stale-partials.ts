import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The hidden names output files are written under before they get their real one (see writeNewOutputFile). */
const PARTIAL = /^\.[0-9a-f]{12}\.partial\.[a-z0-9]+$/;

/**
 * Removes partial output files that nobody has written to for `olderThanMs`: what a worker killed mid-save left.
 * A live writer keeps its file's modification time fresh, so another worker's save under way is left alone.
 */
export async function removeStalePartials(dir: string, olderThanMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!PARTIAL.test(name)) continue;
    const file = path.join(dir, name);
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile() || now - st.mtimeMs < olderThanMs) continue;
    await rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
