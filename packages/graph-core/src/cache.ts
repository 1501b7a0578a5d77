import type { NodeDefinition, UiOutput } from './node-definition.js';

/** One node's result as the cache keeps it. */
export interface CachedResult {
  outputs: Record<string, unknown>;
  ui: UiOutput[];
}

/** A slower, larger tier behind the memory cache (the runtime's disk cache). */
export interface SecondaryCache {
  get(key: string, def: NodeDefinition): Promise<CachedResult | undefined>;
  set(key: string, def: NodeDefinition, result: CachedResult): Promise<void>;
  stats(): Record<string, number>;
  clear(): Promise<void>;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
  secondary?: Record<string, number>;
}

export interface CacheLookup {
  result: CachedResult;
  tier: 'memory' | 'disk';
}

interface Entry {
  result: CachedResult;
  bytes: number;
}

const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/**
 * Content-keyed node results with a byte budget: least recently used entries leave first. A result larger
 * than the whole budget is not kept in memory (the secondary tier may still keep it).
 */
export class ResultCache {
  readonly maxBytes: number;
  readonly secondary: SecondaryCache | undefined;
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(options: { maxBytes?: number; secondary?: SecondaryCache } = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.secondary = options.secondary;
  }

  /** Looks in memory, then in the secondary tier (promoting a hit to memory). Counts hits and misses. */
  async lookup(key: string, def: NodeDefinition): Promise<CacheLookup | undefined> {
    const entry = this.entries.get(key);
    if (entry) {
      this.touch(key, entry);
      this.hits++;
      return { result: entry.result, tier: 'memory' };
    }
    if (this.secondary) {
      let found: CachedResult | undefined;
      try {
        found = await this.secondary.get(key, def);
      } catch {
        found = undefined; // a broken disk entry is a miss, never a failed run
      }
      if (found) {
        this.remember(key, found, def);
        this.hits++;
        return { result: found, tier: 'disk' };
      }
    }
    this.misses++;
    return undefined;
  }

  /** Stores a fresh result in memory and hands it to the secondary tier (which may decline it). */
  store(key: string, def: NodeDefinition, result: CachedResult): void {
    this.remember(key, result, def);
    if (this.secondary) void this.secondary.set(key, def, result).catch(() => undefined);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): CacheStats {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      secondary: this.secondary?.stats(),
    };
  }

  /** Empties the memory tier (and the secondary tier when `all`). */
  async clear(options: { all?: boolean } = {}): Promise<void> {
    this.entries.clear();
    this.bytes = 0;
    if (options.all && this.secondary) await this.secondary.clear();
  }

  private remember(key: string, result: CachedResult, def?: NodeDefinition): void {
    const bytes = resultBytes(result, def);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { result, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
      this.evictions++;
    }
  }

  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }
}

/** Approximate bytes a result holds. Heavy values report their own size (Sized) so nothing walks megabytes. */
/** Bytes a result holds: each output sized by its declared socket type, else by walking the value. */
export function resultBytes(result: CachedResult, def?: NodeDefinition): number {
  let n = 64;
  for (const [name, v] of Object.entries(result.outputs)) {
    const socket = def?.outputs[name]?.socket;
    n += socket && socket.is(v) ? socket.byteSize(v) : valueBytes(v, 0);
  }
  return n;
}

function valueBytes(v: unknown, depth: number): number {
  if (v === null || v === undefined) return 8;
  switch (typeof v) {
    case 'number':
    case 'boolean':
      return 8;
    case 'string':
      return 16 + v.length * 2;
    case 'object': {
      const sized = v as { byteSize?: unknown };
      if (typeof sized.byteSize === 'function') return Number((sized.byteSize as () => number).call(v)) || 0;
      if (ArrayBuffer.isView(v)) return v.byteLength;
      if (v instanceof ArrayBuffer) return v.byteLength;
      if (depth > 4) return 64;
      let n = 32;
      const values = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
      for (const x of values) n += valueBytes(x, depth + 1);
      return n;
    }
    default:
      return 32;
  }
}
