import { Router } from 'express';
import { CacheFreeQuerySchema, type ServerLimitsJson } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { cacheStats } from '../system/cache-stats.js';
import { systemInfo } from '../system/system-info.js';
import { parseOr400 } from '../validate.js';

/** System information, the limits requests must keep to, and freeing the caches. */
export function systemRoutes(ctx: ServerContext): Router {
  const r = Router();

  r.get('/api/system', async (_req, res) => {
    res.json(await systemInfo(ctx));
  });

  r.get('/api/limits', (_req, res) => {
    const { maxImagePixels: _pixels, ...json } = ctx.limits;
    const limits: ServerLimitsJson = json;
    res.json(limits);
  });

  r.post('/api/cache/free', async (req, res) => {
    const q = parseOr400(CacheFreeQuerySchema, req.query, 'cache query');
    if (q.tier === 'memory' || q.tier === 'all') {
      await ctx.engine.cache.clear();
      await ctx.services.models.unloadAll();
    }
    if (q.tier === 'disk' || q.tier === 'all') await ctx.diskCache.clear();
    res.json(cacheStats(ctx));
  });

  return r;
}
