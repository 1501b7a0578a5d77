import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UserError } from '@kinegraph/graph-core';

/**
 * Streaming sha256 of a file, remembered by (path, size, mtime) so a large input is read once per change,
 * not on every run. The engine folds it into the cache key of 'file' nodes.
 */
export function createFileHasher(resolve: (ref: string) => string): (ref: string) => Promise<string> {
  const memo = new Map<string, { size: number; mtimeMs: number; hash: string }>();
  return async (ref: string) => {
    const file = resolve(ref);
    const s = await stat(file).catch(() => undefined);
    if (!s || !s.isFile()) throw new UserError(`File "${ref}" not found`);
    const known = memo.get(file);
    if (known && known.size === s.size && known.mtimeMs === s.mtimeMs) return known.hash;
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    const hash = h.digest('hex');
    memo.set(file, { size: s.size, mtimeMs: s.mtimeMs, hash });
    return hash;
  };
}
