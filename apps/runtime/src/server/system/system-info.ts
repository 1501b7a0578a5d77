import os from 'node:os';
import * as nodes from '@kinegraph/nodes';
import type { SystemInfo } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { cacheStats } from './cache-stats.js';
import { availableProviders } from './providers.js';

const VERSION = '0.1.0';

export async function systemInfo(ctx: ServerContext): Promise<SystemInfo> {
  const cpus = os.cpus();
  const providers = await availableProviders();
  const queue = ctx.runs.queueState();
  return {
    version: VERSION,
    platform: `${os.platform()}-${os.arch()}`,
    node: process.version,
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length },
    memory: { total: os.totalmem(), free: os.freemem(), rss: process.memoryUsage().rss },
    device: { requested: ctx.provider, active: activeProvider(ctx.provider, providers), providers },
    cache: cacheStats(ctx),
    queue: { pending: queue.pending.length, running: queue.running?.runId ?? null, paused: queue.paused },
    uptimeS: Math.round((Date.now() - ctx.startedAt) / 1000),
  };
}

/**
 * The provider sessions are created with. 'auto' tries WebGPU once, at the first model load, and falls back to
 * the CPU (design/gpu.md); the ONNX module's `webgpuStatus()` tells the outcome once known.
 */
function activeProvider(requested: ServerContext['provider'], providers: string[]): string {
  if (requested === 'cpu' || !providers.includes('webgpu')) return 'cpu';
  const status = (nodes as unknown as { webgpuStatus?: () => { ok: boolean; reason?: string } | undefined }).webgpuStatus?.();
  if (status) return status.ok ? 'webgpu' : `cpu (webgpu unavailable: ${status.reason ?? 'no adapter'})`;
  if (requested === 'webgpu') return 'webgpu';
  // Before any model load: a machine without a GPU device is known to pick the CPU (WebGPU is not even tried).
  const absent = (nodes as unknown as { gpuAbsenceReason?: () => string | undefined }).gpuAbsenceReason?.();
  return absent ? `cpu (${absent}; webgpu not tried)` : 'webgpu if a GPU adapter opens at the first model load, else cpu';
}
