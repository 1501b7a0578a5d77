import type { Engine, NodeRegistry } from '@kinegraph/graph-core';
import type { HostServices } from '@kinegraph/nodes';
import type { ServerLimitsJson } from '../protocol/index.js';
import type { DiskCache } from './cache/disk-cache.js';
import type { RunService } from './run/run-service.js';
import type { FileUrls } from './security/signed-urls.js';
import type { RunStore } from './store/run-store.js';

/** The folders the server reads and writes, all under the data folder except models and workflows. */
export interface ServerDirs {
  data: string;
  input: string;
  output: string;
  temp: string;
  runs: string;
  cache: string;
  models: string;
  /** Example workflows shipped with the repository (read only). */
  workflows: string;
}

/** What the HTTP edge accepts (the JSON ones are ServerLimitsJson, served by GET /api/limits). */
export interface ServerLimits extends ServerLimitsJson {
  /** Largest accepted image, in pixels (width x height). */
  maxImagePixels: number;
}

/** Everything the routes need, built once by startServer. */
export interface ServerContext {
  dirs: ServerDirs;
  limits: ServerLimits;
  registry: NodeRegistry;
  services: HostServices;
  engine: Engine;
  diskCache: DiskCache;
  store: RunStore;
  runs: RunService;
  provider: 'auto' | 'cpu' | 'webgpu';
  /** File URLs as answers carry them: signed, short-lived ones when a token is set. */
  urls: FileUrls;
  startedAt: number;
  log: (msg: string) => void;
}
