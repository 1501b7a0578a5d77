import { UserError } from '@kinegraph/graph-core';

/** Checks that an input is a model handle of the expected kind (a VAE where a VAE belongs). */
export function requireHandle<T extends { kind: string }>(v: unknown, field: string, type: 'VAE' | 'MODEL' | 'TEXT_ENCODER'): T {
  const kind = { VAE: 'vae', MODEL: 'model', TEXT_ENCODER: 'text_encoder' }[type];
  if (!v || typeof v !== 'object' || (v as { kind?: unknown }).kind !== kind) {
    throw new UserError(`The ${field} input is not a ${type} (connect it to Load Model)`, field);
  }
  return v as T;
}
