import { z } from 'zod';

/**
 * What a model is, as LoadModel, the model registry, GET /api/models and the editor's model widgets see it:
 * one schema (browser-safe: zod only, exported as `@kinegraph/nodes/model-info`). Loose: a provider may add fields.
 */
export const ModelInfoSchema = z.looseObject({
  /** 'builtin/parallax-v2', 'video/<folder name>' */
  id: z.string(),
  kind: z.enum(['video', 'upscale']),
  family: z.string(),
  title: z.string(),
  description: z.string().optional(),
  /** Content hash of the model's manifest and files (for cache keys and history). */
  hash: z.string(),
  samplers: z.array(z.string()),
  schedulers: z.array(z.string()),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;
