import os from 'node:os';
import path from 'node:path';
import { serviceToken, type Services } from '@kinegraph/graph-core';

/**
 * Where derived model files (TF.js models converted to ONNX) are kept between runs. The server puts it in
 * its data folder (`<data>/cache/models`); a host that gives none gets a folder in the OS temp dir.
 * Files there are named by a hash of their source, so a stale or foreign file is never picked up.
 */
export interface ModelCacheService {
  dir: string;
}
export const ModelCacheToken = serviceToken<ModelCacheService>('model-cache');

export function modelCacheDir(services: Services): string {
  if (services.has(ModelCacheToken)) return services.get(ModelCacheToken).dir;
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return path.join(os.tmpdir(), `kinegraph-models-${user}`);
}
