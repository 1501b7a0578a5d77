import os from 'node:os';

/** Below this share of free system memory, loaded models and the memory cache tier are let go. */
const LOW_FREE_SHARE = 0.1;

/**
 * Called between runs: when the machine runs short of memory, unload models (they load again on first use)
 * and empty the memory cache tier (the disk tier still answers). Returns whether it did anything.
 */
export async function relieveMemoryPressure(o: {
  unloadModels: () => Promise<void>;
  clearMemoryCache: () => Promise<void>;
  log: (msg: string) => void;
  freeShare?: () => number;
}): Promise<boolean> {
  const share = (o.freeShare ?? (() => os.freemem() / os.totalmem()))();
  if (share >= LOW_FREE_SHARE) return false;
  o.log(`memory is short (${(share * 100).toFixed(1)}% free): unloading models and emptying the memory cache`);
  await o.unloadModels().catch(() => undefined);
  await o.clearMemoryCache();
  return true;
}
