import { describe, expect, it } from 'vitest';
import { decodePreviewFrame, encodePreviewFrame } from '@kinegraph/runtime/protocol';
import { api, useTestServer, waitForRun, workflow, WsProbe } from './harness.js';
import { testPreviewPng } from './test-nodes.js';

let base: string;
useTestServer((url) => (base = url));

const submit = async (params: Record<string, unknown>) =>
  (await api(base, '/api/runs', { method: 'POST', json: { workflow: workflow({ s: { type: 'TestSteps', params } }) } })).body.runs[0]
    .runId as string;

describe('preview frames', () => {
  it('round-trip through the binary frame codec', () => {
    const image = new Uint8Array([1, 2, 3, 4, 5]);
    const frame = encodePreviewFrame({ runId: 'r1', nodeId: 'ksampler', width: 64, height: 32 }, 'image/webp', image);
    expect(frame[0]).toBe(1);
    expect(frame[1]).toBe(2);
    const len = (frame[2]! << 8) | frame[3]!;
    expect(JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + len)))).toEqual({
      runId: 'r1',
      nodeId: 'ksampler',
      width: 64,
      height: 32,
    });
    const back = decodePreviewFrame(frame);
    expect(back.mime).toBe('image/webp');
    expect([...back.image]).toEqual([1, 2, 3, 4, 5]);
    expect(() => decodePreviewFrame(new Uint8Array([9, 1, 0, 0]))).toThrow(/kind/);
    expect(() => decodePreviewFrame(new Uint8Array([1, 1, 0, 50, 1]))).toThrow(/overruns/);
  });
});

describe('WebSocket', () => {
  it('sends a snapshot, then every event of the run to every tab, with binary previews', async () => {
    const tabs = [await WsProbe.open(base), await WsProbe.open(base)];
    const runId = await submit({ steps: 4, delay_ms: 2, seed: 11 });
    for (const tab of tabs) {
      await tab.until((p) => p.runEnded(runId));
      expect(tab.messages[0]!.type).toBe('snapshot');
      const evs = tab.events.filter((e) => e.runId === runId);
      expect(evs.map((e) => e.type)).toEqual([
        'run_started',
        'node_started',
        ...Array(4).fill('progress'),
        'node_finished',
        'run_finished',
      ]);
      expect(evs.filter((e) => e.type === 'progress').map((e) => (e as { value: number }).value)).toEqual([1, 2, 3, 4]);
      const finished = evs.find((e) => e.type === 'node_finished')!;
      expect(finished).toMatchObject({ nodeId: 's', cached: false });
      expect(typeof (finished as { durationMs: number }).durationMs).toBe('number');
      const previews = tab.previews.filter((f) => f.header.runId === runId);
      expect(previews).toHaveLength(4);
      expect(previews[0]!.header).toEqual({ runId, nodeId: 's', width: 16, height: 8 });
      expect(previews[0]!.mime).toBe('image/png');
      expect(Buffer.from(previews[0]!.image).equals(Buffer.from(await testPreviewPng(16)))).toBe(true);
    }
    // The same seed again: the node comes from the cache and says so.
    const again = await submit({ steps: 4, delay_ms: 2, seed: 11 });
    await tabs[0]!.until((p) => p.runEnded(again));
    const cached = tabs[0]!.events.filter((e) => e.runId === again).map((e) => e.type);
    expect(cached).toEqual(['run_started', 'node_cached', 'run_finished']);
    expect(tabs[0]!.events.find((e) => e.runId === again && e.type === 'node_cached')).toMatchObject({ tier: 'memory', nodeId: 's' });
    for (const t of tabs) t.close();
  });

  it('a tab that connects mid-run gets a snapshot with the running run, its progress and node states', async () => {
    const watcher = await WsProbe.open(base);
    const runId = await submit({ steps: 100_000, delay_ms: 2, seed: 12, preview: false });
    await watcher.until((p) => p.events.some((e) => e.runId === runId && e.type === 'progress'));
    const late = await WsProbe.open(base);
    await late.until((p) => p.messages.length > 0);
    const snap = late.messages[0]!;
    expect(snap.type).toBe('snapshot');
    if (snap.type !== 'snapshot') return;
    expect(snap.queue.running?.runId).toBe(runId);
    expect(snap.nodeStates).toEqual({ s: 'running' });
    expect(snap.progress).toMatchObject({ runId, nodeId: 's' });
    // Then the live stream continues on the new tab.
    await late.until((p) => p.events.some((e) => e.runId === runId && e.type === 'progress'));
    await api(base, '/api/interrupt', { method: 'POST', json: { runId } });
    await late.until((p) => p.runEnded(runId));
    watcher.close();
    late.close();
  });

  it('a slow tab never slows the run: its previews are dropped to the newest and its progress coalesced', async () => {
    const fast = await WsProbe.open(base);
    const slow = await WsProbe.open(base);
    await slow.until((p) => p.messages.length > 0);
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const runId = await submit({ steps: 150, delay_ms: 1, seed: 14, preview_size: 512 });
    await waitForRun(base, runId);
    await fast.until((p) => p.runEnded(runId));
    // The whole run ended while the slow tab read nothing at all: it never waited for that tab.
    // (What the slow tab costs in wall time is measured by npm run bench:server, not asserted here.)
    expect(slow.events.filter((e) => e.runId === runId)).toEqual([]);

    socket.resume();
    await slow.until((p) => p.runEnded(runId));
    const progress = slow.events.filter((e) => e.runId === runId && e.type === 'progress') as Array<{ value: number; max: number }>;
    const previews = slow.previews.filter((f) => f.header.runId === runId);
    expect(progress.length).toBeLessThan(150);
    expect(progress.at(-1)).toMatchObject({ value: 150, max: 150 });
    expect(previews.length).toBeLessThan(150);
    expect(previews.length).toBeGreaterThan(0);
    // Order is kept for everything that is not coalesced.
    const order = slow.events.filter((e) => e.runId === runId && e.type !== 'progress').map((e) => e.type);
    expect(order).toEqual(['run_started', 'node_started', 'node_finished', 'run_finished']);
    fast.close();
    slow.close();
  });

  it('refuses other paths for the upgrade', async () => {
    await expect(WsProbe.open(base + '/api')).rejects.toThrow(/404/);
  });
});
