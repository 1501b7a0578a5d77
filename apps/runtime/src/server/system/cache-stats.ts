import type { CacheStats } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';

/** Both cache tiers' counters (the memory tier's own view of its secondary is left out: that is `disk`). */
export function cacheStats(ctx: ServerContext): { memory: CacheStats; disk: CacheStats } {
  const { secondary: _secondary, ...memory } = ctx.engine.cache.stats();
  return { memory: { ...memory }, disk: ctx.diskCache.stats() };
}
