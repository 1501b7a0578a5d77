import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  DOCUMENT_LIMITS,
  Engine,
  MAX_REPORTED_ISSUES,
  ResultCache,
  type EngineEvent,
  type Logger,
  type NodeDefinition,
  type NodeRegistry,
} from '@kinegraph/graph-core';
import { createHostServices, createNodeRegistry, describeAutoProvider, MAX_INPUT_PIXELS, userKeyFolder } from '@kinegraph/nodes';
import { createApp } from './app.js';
import { DiskCache } from './cache/disk-cache.js';
import type { ServerContext, ServerDirs, ServerLimits } from './context.js';
import { EditorAssets } from './editor/editor-assets.js';
import { seedExampleAssets } from './files/example-assets.js';
import { WORKFLOWS_DIR } from './repo-paths.js';
import { LocalRunQueue } from './queue/local-run-queue.js';
import { RedisRunQueue } from './queue/redis/redis-run-queue.js';
import type { RunQueue } from './queue/run-queue.js';
import { RunService } from './run/run-service.js';
import { isLoopbackHost } from './security/network.js';
import type { GuardOptions } from './security/request-guard.js';
import { fileUrls } from './security/signed-urls.js';
import { RunStore } from './store/run-store.js';
import { relieveMemoryPressure } from './system/memory-pressure.js';
import { availableProviders } from './system/providers.js';
import { DEFAULT_CHANNEL_OPTIONS, WsHub } from './ws/hub.js';
import { PreviewService } from './preview/preview-service.js';
import { LiveState } from './ws/live-state.js';
import { attachWebSocket } from './ws/ws-server.js';
import type { ChannelOptions } from './ws/client-channel.js';

const MB = 1024 * 1024;

export interface ServerOptions {
  /** Listen address; anything but loopback needs `token`. Default 127.0.0.1. */
  host?: string;
  /** Default 8188; 0 picks a free port. */
  port?: number;
  dataDir: string;
  modelsDir: string;
  provider?: 'auto' | 'cpu' | 'webgpu';
  /** Memory cache budget (MB). Default 2048. */
  cacheMb?: number;
  /** Disk cache budget (MB). Default 8192. */
  diskCacheMb?: number;
  /** The built editor; default apps/editor/dist (built on first start when missing); false serves the API only. */
  editorDir?: string | false;
  log?: (msg: string) => void;
  /** Access token for every HTTP request and the WebSocket (default: KINEGRAPH_TOKEN from the environment). */
  token?: string;
  /** Extra browser origins allowed to call the API (a dev server on another machine). */
  allowedOrigins?: string[];
  /** Largest upload (MB). Default 512. */
  maxUploadMb?: number;
  /** Largest uploaded image in megapixels. Default: the limit LoadImage applies (64). */
  maxImageMegapixels?: number;
  /** Example workflows folder; default the repository's workflows/. */
  workflowsDir?: string;
  /** Node types to use instead of the installed set (tests, embedding). */
  registry?: NodeRegistry;
  /** Node types added to the registry (tests). */
  extraNodes?: NodeDefinition<any>[];
  /** Per-client WebSocket buffering (tests and benchmarks tune the slow-client behaviour). */
  wsChannel?: Partial<ChannelOptions>;
  /** Unload models after this long without a run. Default 10 minutes. */
  modelIdleMs?: number;
  /** Most runs waiting in the queue; more are refused with 429. Default 1000. */
  maxQueuedRuns?: number;
  /** How often a run a crash cut short is run again on restart. Default 1 (at least once). */
  crashRetries?: number;
  /** redis://host:port: keep the queue in Redis (BullMQ), run by `kinegraph worker` processes; default in-process. */
  queueUrl?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the runtime: HTTP API, WebSocket progress, the queue with its persisted history, the two-tier result
 * cache and (when built) the editor, all on one port. Queued runs left by an earlier process start right away.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((msg: string) => console.log(`kinegraph: ${msg}`));
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const token = opts.token ?? (process.env.KINEGRAPH_TOKEN || undefined);
  if (!loopback && !token) {
    throw new Error(
      `Refusing to listen on ${host} without an access token: anyone on the network could run workflows and read files. ` +
        'Pass --token-file <file> (or set KINEGRAPH_TOKEN), or listen on 127.0.0.1.',
    );
  }
  const provider = opts.provider ?? 'auto';
  const dataDir = path.resolve(opts.dataDir);
  const dirs: ServerDirs = {
    data: dataDir,
    input: path.join(dataDir, 'input'),
    output: path.join(dataDir, 'output'),
    temp: path.join(dataDir, 'temp'),
    runs: path.join(dataDir, 'runs'),
    cache: path.join(dataDir, 'cache'),
    models: path.resolve(opts.modelsDir),
    workflows: path.resolve(opts.workflowsDir ?? WORKFLOWS_DIR),
  };
  for (const d of [dirs.input, dirs.output, dirs.temp, dirs.runs, dirs.cache]) await mkdir(d, { recursive: true });
  await seedExampleAssets(dirs.workflows, dirs.input);
  const limits: ServerLimits = {
    maxUploadBytes: Math.round((opts.maxUploadMb ?? 512) * MB),
    // By default the same limit LoadImage applies, so an accepted upload always loads.
    maxImagePixels: opts.maxImageMegapixels === undefined ? MAX_INPUT_PIXELS : Math.round(opts.maxImageMegapixels * 1e6),
    maxJsonBytes: 20 * MB,
    maxJsonDepth: DOCUMENT_LIMITS.maxDepth,
    maxStringLength: DOCUMENT_LIMITS.maxStringLength,
    maxEntries: DOCUMENT_LIMITS.maxEntries,
    maxValues: DOCUMENT_LIMITS.maxValues,
    maxNodes: DOCUMENT_LIMITS.maxNodes,
    // What one request may add to the queue's files: a 20 MB workflow once, a 640 KB one a hundred times.
    maxBatchBytes: 64 * MB,
    maxQueuedRuns: opts.maxQueuedRuns ?? 1000,
    maxReportedIssues: MAX_REPORTED_ISSUES,
  };

  const logger = engineLogger(log);
  const services = createHostServices({
    inputDir: dirs.input,
    outputDir: dirs.output,
    tempDir: dirs.temp,
    modelsDir: dirs.models,
    executionProvider: provider,
    log: logger,
    modelCacheDir: path.join(dirs.cache, 'models'),
    // API keys (minimax.key): the data folder's keys/, then the user's own config folder.
    keyFolders: [
      { dir: path.join(dataDir, 'keys'), label: 'keys/minimax.key in the data folder (--data, default .kinegraph)' },
      userKeyFolder(),
    ],
  });
  const registry = opts.registry ?? createNodeRegistry();
  for (const def of opts.extraNodes ?? []) registry.register(def);

  const diskCache = await DiskCache.open({ dir: dirs.cache, maxBytes: (opts.diskCacheMb ?? 8192) * MB });
  const cache = new ResultCache({ maxBytes: (opts.cacheMb ?? 2048) * MB, secondary: diskCache });
  const engine = new Engine({ registry, services, cache, hashFile: (ref) => services.hashFile(ref), log: logger });
  const store = await RunStore.open(dirs.runs, { log, crashRetries: opts.crashRetries });

  const live = new LiveState();
  // Live previews run on an engine of their own (no run events, its own validation memo) over the same cache.
  const previews = new PreviewService({
    engine: new Engine({ registry, services, cache, hashFile: (ref) => services.hashFile(ref), log: logger }),
    registry,
    services,
    hashFile: (ref) => services.hashFile(ref),
    log,
  });
  const hub = new WsHub(
    () => ({ queue: queue.queueState(), progress: live.progress, nodeStates: { ...live.nodeStates } }),
    { ...DEFAULT_CHANNEL_OPTIONS, ...opts.wsChannel },
    (channel, text) => previews.message(channel, text),
  );
  const queueListener = {
    onEvent: (e: EngineEvent) => {
      live.apply(e);
      hub.event(e);
      if (e.type === 'run_finished' || e.type === 'run_failed' || e.type === 'run_interrupted') {
        void relieveMemoryPressure({ unloadModels: () => services.models.unloadAll(), clearMemoryCache: () => cache.clear(), log });
      }
    },
    onQueueChange: () => hub.queue(queue.queueState()),
    log,
  };
  const queue: RunQueue = opts.queueUrl
    ? new RedisRunQueue({ ...queueListener, url: opts.queueUrl, store })
    : new LocalRunQueue({
        ...queueListener,
        store,
        engine,
        onIdle: () => void services.models.unloadAll().catch(() => undefined),
        idleMs: opts.modelIdleMs ?? 10 * 60_000,
      });
  const runs = new RunService({
    store,
    queue,
    registry,
    services,
    hashFile: (ref) => services.hashFile(ref),
    maxQueuedRuns: limits.maxQueuedRuns,
    log,
  });

  const ctx: ServerContext = {
    dirs,
    limits,
    registry,
    services,
    engine,
    diskCache,
    store,
    runs,
    provider,
    urls: fileUrls(token),
    startedAt: Date.now(),
    log,
  };
  const guard: GuardOptions = { token, loopback, allowedOrigins: opts.allowedOrigins ?? [] };
  const editor = await EditorAssets.open(opts.editorDir, log);
  const app = createApp(ctx, guard, editor);
  const server = createServer(app);
  // Long uploads and slow range reads are fine; a stuck client is not kept forever.
  server.requestTimeout = 10 * 60_000;
  const wss = attachWebSocket(server, hub, guard);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8188, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const backends = await availableProviders();
  log(`execution provider: ${provider === 'auto' ? `auto: ${describeAutoProvider()} (this build has: ${backends.join(', ')})` : provider}`);
  // The queue is reached before the server says it listens: a Redis that can not be reached stops the start.
  await runs.start().catch(async (e: Error) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await diskCache.close();
    throw e;
  });
  const q = queue.queueState();
  log(`data ${dirs.data}, models ${dirs.models}; ${q.pending.length} queued run(s)${q.paused ? ' (queue paused)' : ''}`);
  log(`listening on ${url}${token ? ' (token required)' : ''}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      // Stop listening and taking runs first, then interrupt the running run and wait until it is recorded
      // (and the queue flushed); only then drop the sockets and connections.
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await runs.stop();
        hub.closeAll();
        wss.close();
        server.closeAllConnections();
        await closed;
        await diskCache.close();
        await services.models.unloadAll().catch(() => undefined);
      })();
      return closing;
    },
  };
}

function engineLogger(log: (msg: string) => void): Logger {
  return {
    debug: () => {},
    info: (m) => log(m),
    warn: (m) => log(`warning: ${m}`),
    error: (m) => log(`error: ${m}`),
  };
}
