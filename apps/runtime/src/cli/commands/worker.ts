import { CliError, ExitCode } from '../exit-codes.js';
import { shutdownOnSignal } from './serve.js';

export interface WorkerCommandOptions {
  queue: string;
  data: string;
  models: string;
  device: 'auto' | 'cpu' | 'gpu';
  name?: string;
  cacheMb?: string;
  diskCache?: string;
  lockMs?: string;
  stallCheckMs?: string;
}

/** `kinegraph worker`: runs jobs from the server's Redis queue until Ctrl-C (which lets the running one finish). */
export async function workerCommand(o: WorkerCommandOptions): Promise<number> {
  const { startRunWorker } = await import('../../server/queue/redis/run-worker.js');
  const worker = await startRunWorker({
    url: o.queue,
    dataDir: o.data,
    modelsDir: o.models,
    provider: o.device === 'gpu' ? 'webgpu' : o.device,
    ...(o.name ? { name: o.name } : {}),
    ...(o.cacheMb ? { cacheMb: Number(o.cacheMb) } : {}),
    ...(o.diskCache ? { diskCacheDir: o.diskCache } : {}),
    ...(o.lockMs ? { lockMs: Number(o.lockMs) } : {}),
    ...(o.stallCheckMs ? { stallCheckMs: Number(o.stallCheckMs) } : {}),
  }).catch((e: Error) => {
    // Redis not reachable, a bad URL: the user's to fix, no stack.
    throw new CliError(e.message);
  });
  process.stderr.write(`Worker ${worker.name} is taking runs (Ctrl-C stops it after the running one)\n`);
  await shutdownOnSignal(() => worker.close());
  return ExitCode.ok;
}
