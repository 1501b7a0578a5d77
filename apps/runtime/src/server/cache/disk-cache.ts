import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CachedResult, NodeDefinition, SecondaryCache } from '@kinegraph/graph-core';
import { readJsonFile, writeJsonAtomic } from '../store/json-file.js';
import { decodeValue, encodeValue, type StoredValue } from './value-codec.js';

const IndexSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.object({ bytes: z.number(), atime: z.number(), type: z.string() })),
});
type IndexEntry = z.infer<typeof IndexSchema>['entries'][string];

interface EntryFile {
  key: string;
  type: string;
  version: number;
  outputs: Record<string, StoredValue>;
  ui: CachedResult['ui'];
  bytes: number;
}

export interface DiskCacheOptions {
  dir: string;
  maxBytes: number;
}

/**
 * The engine's second cache tier, on disk: one folder per result (`entries/<sha256(key)>/`) with `entry.json`
 * and a file per heavy output (latents and conditionings as .safetensors, images as PNG). Own byte budget;
 * least recently used entries are evicted. `index.json` (sizes, access times) is saved atomically and
 * rebuilt from the folders when it is stale, so results survive restarts and crashes.
 * Writes happen behind the run (set() returns at once); a get() during a write answers from memory.
 */
export class DiskCache implements SecondaryCache {
  private readonly index = new Map<string, IndexEntry>();
  private readonly writing = new Map<string, CachedResult>();
  private writeChain: Promise<void> = Promise.resolve();
  private saveTimer: NodeJS.Timeout | undefined;
  private bytes = 0;
  private counters = { hits: 0, misses: 0, writes: 0, evictions: 0, skipped: 0, errors: 0 };

  private constructor(private readonly opts: DiskCacheOptions) {}

  static async open(opts: DiskCacheOptions): Promise<DiskCache> {
    const c = new DiskCache(opts);
    await mkdir(c.entriesDir, { recursive: true });
    let saved: z.infer<typeof IndexSchema> | undefined;
    try {
      saved = await readJsonFile(c.indexFile, IndexSchema);
    } catch {
      saved = undefined; // rebuilt below
    }
    for (const name of await readdir(c.entriesDir)) {
      const dir = path.join(c.entriesDir, name);
      if (name.startsWith('.tmp-')) {
        await rm(dir, { recursive: true, force: true }); // a write the process did not finish
        continue;
      }
      const known = saved?.entries[name];
      if (known) {
        c.index.set(name, known);
        continue;
      }
      try {
        const entry = JSON.parse(await readFile(path.join(dir, 'entry.json'), 'utf8')) as EntryFile;
        c.index.set(name, { bytes: entry.bytes, atime: (await stat(dir)).mtimeMs, type: entry.type });
      } catch {
        await rm(dir, { recursive: true, force: true });
      }
    }
    for (const e of c.index.values()) c.bytes += e.bytes;
    await c.evict();
    await c.saveIndex();
    return c;
  }

  private get entriesDir() {
    return path.join(this.opts.dir, 'entries');
  }
  private get indexFile() {
    return path.join(this.opts.dir, 'index.json');
  }

  async get(key: string, def: NodeDefinition): Promise<CachedResult | undefined> {
    const id = idOf(key);
    const pending = this.writing.get(id);
    if (pending) {
      this.counters.hits++;
      return pending;
    }
    const meta = this.index.get(id);
    if (!meta || meta.type !== def.type) {
      this.counters.misses++;
      return undefined;
    }
    const dir = path.join(this.entriesDir, id);
    try {
      const entry = JSON.parse(await readFile(path.join(dir, 'entry.json'), 'utf8')) as EntryFile;
      if (entry.key !== key) throw new Error('entry key mismatch');
      const outputs: Record<string, unknown> = {};
      for (const [name, stored] of Object.entries(entry.outputs)) outputs[name] = await decodeValue(stored, dir);
      meta.atime = Date.now();
      // Re-inserted so the index's order is recency order too (ties in atime evict the older use first).
      this.index.delete(id);
      this.index.set(id, meta);
      this.counters.hits++;
      this.scheduleSave();
      return { outputs, ui: entry.ui };
    } catch {
      // A damaged entry is a miss, never an error for the run.
      this.counters.errors++;
      this.counters.misses++;
      await this.remove(id);
      return undefined;
    }
  }

  async set(key: string, def: NodeDefinition, result: CachedResult): Promise<void> {
    const id = idOf(key);
    if (this.index.has(id) || this.writing.has(id)) return;
    this.writing.set(id, result);
    this.writeChain = this.writeChain
      .then(() => this.write(id, key, def, result))
      .catch(() => {
        this.counters.errors++;
      })
      .finally(() => this.writing.delete(id));
  }

  /** Resolves when every write started so far is on disk and the index is saved. */
  async flush(): Promise<void> {
    await this.writeChain;
    await this.saveIndex();
  }

  stats(): Record<string, number> {
    return {
      entries: this.index.size,
      bytes: this.bytes,
      maxBytes: this.opts.maxBytes,
      pendingWrites: this.writing.size,
      ...this.counters,
    };
  }

  async clear(): Promise<void> {
    await this.writeChain;
    for (const id of [...this.index.keys()]) await this.remove(id);
    await this.saveIndex();
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.saveTimer);
  }

  private async write(id: string, key: string, def: NodeDefinition, result: CachedResult): Promise<void> {
    const tmp = path.join(this.entriesDir, `.tmp-${id}-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp);
    try {
      const outputs: Record<string, StoredValue> = {};
      let bytes = 0;
      let i = 0;
      for (const [name, value] of Object.entries(result.outputs)) {
        const stored = await encodeValue(value, tmp, `out${i++}`, def.outputs[name]?.type);
        if (!stored) {
          this.counters.skipped++;
          await rm(tmp, { recursive: true, force: true });
          return;
        }
        outputs[name] = stored;
        bytes += typeof stored.bytes === 'number' ? stored.bytes : 0;
      }
      const entry: EntryFile = { key, type: def.type, version: def.version, outputs, ui: result.ui, bytes: 0 };
      const json = JSON.stringify(entry);
      entry.bytes = bytes + json.length;
      if (entry.bytes > this.opts.maxBytes) {
        this.counters.skipped++;
        await rm(tmp, { recursive: true, force: true });
        return;
      }
      await writeJsonAtomic(path.join(tmp, 'entry.json'), entry);
      // The rename makes the entry appear whole or not at all.
      await rename(tmp, path.join(this.entriesDir, id));
      this.index.set(id, { bytes: entry.bytes, atime: Date.now(), type: def.type });
      this.bytes += entry.bytes;
      this.counters.writes++;
      await this.evict();
      this.scheduleSave();
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  private async evict(): Promise<void> {
    if (this.bytes <= this.opts.maxBytes) return;
    const byAge = [...this.index.entries()].sort((a, b) => a[1].atime - b[1].atime);
    for (const [id] of byAge) {
      if (this.bytes <= this.opts.maxBytes) break;
      await this.remove(id);
      this.counters.evictions++;
    }
  }

  private async remove(id: string): Promise<void> {
    const meta = this.index.get(id);
    if (meta) this.bytes -= meta.bytes;
    this.index.delete(id);
    await rm(path.join(this.entriesDir, id), { recursive: true, force: true });
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveIndex().catch(() => {});
    }, 500);
    this.saveTimer.unref();
  }

  private async saveIndex(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await writeJsonAtomic(this.indexFile, { version: 1, entries: Object.fromEntries(this.index) });
  }
}

function idOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}
