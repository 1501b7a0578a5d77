import { Router } from 'express';
import { routes } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { onRoute } from '../http/on-route.js';
import { cacheStats } from '../system/cache-stats.js';
import { systemInfo } from '../system/system-info.js';

/** System information, the limits requests must keep to, and freeing the caches. */
export function systemRoutes(ctx: ServerContext): Router {
  const r = Router();

  onRoute(r, routes.system, () => systemInfo(ctx));

  onRoute(r, routes.limits, () => {
    const { maxImagePixels: _pixels, ...json } = ctx.limits;
    return json;
  });

  onRoute(r, routes.freeCache, async ({ query: q }) => {
    if (q.tier === 'memory' || q.tier === 'all') {
      await ctx.engine.cache.clear();
      await ctx.services.models.unloadAll();
    }
    if (q.tier === 'disk' || q.tier === 'all') await ctx.diskCache.clear();
    return cacheStats(ctx);
  });

  return r;
}
