import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../protocol/index.js';
import { RunStore } from './run-store.js';
import { QueueFullError, StoreError } from './store-error.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function fresh() {
  const d = await mkdtemp(path.join(os.tmpdir(), 'kg-store-'));
  dirs.push(d);
  return d;
}
let n = 0;
function record(extra: Partial<RunRecord> = {}): RunRecord {
  n++;
  return {
    runId: `r${String(n).padStart(8, '0')}`,
    status: 'queued',
    createdAt: n,
    workflow: { format: 'kinegraph.workflow', version: 1, nodes: {} },
    inputHashes: {},
    nodeVersions: {},
    models: {},
    nodes: {},
    outputs: [],
    ...extra,
  };
}
const quiet = { log: () => {} };

describe('RunStore', () => {
  it('refuses a run it can not save without touching the others (which stay queued and run)', async () => {
    const dir = await fresh();
    const store = await RunStore.open(dir, quiet);
    const good = record();
    await store.enqueue([good]);
    // A value JSON can not hold: the save fails as a StoreError, and nothing of that batch is kept.
    const bad = record({ workflow: { big: 10n } as unknown as RunRecord['workflow'] });
    const other = record();
    await expect(store.enqueue([other, bad])).rejects.toBeInstanceOf(StoreError);
    expect(store.pending.map((r) => r.runId)).toEqual([good.runId]);
    const later = record();
    await store.enqueue([later]);
    expect((await store.startNext())?.runId).toBe(good.runId);
    await store.finishRunning({ ...store.running!, status: 'succeeded', finishedAt: 1 });
    const reopened = await RunStore.open(dir, quiet);
    expect(reopened.pending.map((r) => r.runId)).toEqual([later.runId]);
    expect((await reopened.get(good.runId))?.status).toBe('succeeded');
    expect(await readdir(path.join(dir, 'queue'))).toEqual([`${later.runId}.json`]);
    await store.flush();
    await reopened.flush();
  });

  it('holds the queue to its limit, counting runs still being written', async () => {
    const store = await RunStore.open(await fresh(), quiet);
    const writing = store.enqueue([record(), record()], 3);
    await expect(store.enqueue([record(), record()], 3)).rejects.toBeInstanceOf(QueueFullError);
    await writing;
    await store.enqueue([record()], 3);
    expect(() => store.checkRoom(1, 3)).toThrow('The queue holds 3 runs and takes at most 3; another would not fit.');
    await store.flush();
  });
});
