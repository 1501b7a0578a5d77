import { z } from 'zod';

export const CacheStatsSchema = z.record(z.string(), z.number());
export type CacheStats = z.infer<typeof CacheStatsSchema>;

export const SystemInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  node: z.string().optional(),
  cpu: z.object({ model: z.string(), cores: z.number().int() }),
  memory: z.object({ total: z.number(), free: z.number(), rss: z.number() }),
  device: z.object({
    /** What the server was started with (--device / provider option). */
    requested: z.enum(['auto', 'cpu', 'webgpu']),
    /** The execution provider inference uses (or will use on first model load). */
    active: z.string(),
    /** Execution providers this onnxruntime-node build offers. */
    providers: z.array(z.string()),
  }),
  cache: z.object({ memory: CacheStatsSchema, disk: CacheStatsSchema }),
  queue: z.object({ pending: z.number().int(), running: z.string().nullable(), paused: z.boolean() }),
  uptimeS: z.number(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

/** POST /api/cache/free?tier=memory|disk|all */
export const CacheFreeQuerySchema = z.object({ tier: z.enum(['memory', 'disk', 'all']).default('all') });
export const CacheFreeResponseSchema = z.object({ memory: CacheStatsSchema, disk: CacheStatsSchema });
