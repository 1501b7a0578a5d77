import { describe, expect, it } from 'vitest';
import { api, useTestServer, waitForRun, workflow } from './harness.js';

let base: string;
useTestServer((url) => (base = url));

const steps = (seed: number) => workflow({ s: { type: 'TestSteps', params: { steps: 1, seed, delay_ms: 0, preview: false } } });

describe('queue to front', () => {
  it('a run submitted with front: true goes ahead of the queued ones and runs first', async () => {
    await api(base, '/api/queue/pause', { method: 'POST' });
    const back: string[] = [];
    for (const seed of [1, 2])
      back.push((await api(base, '/api/runs', { method: 'POST', json: { workflow: steps(seed) } })).body.runs[0].runId);
    const front = await api(base, '/api/runs', { method: 'POST', json: { workflow: steps(3), front: true } });
    expect(front.status).toBe(201);
    expect(front.body.runs[0].position).toBe(0);
    const q = await api(base, '/api/queue');
    expect(q.body.pending.map((r: { runId: string }) => r.runId)).toEqual([front.body.runs[0].runId, ...back]);
    await api(base, '/api/queue/resume', { method: 'POST' });
    const first = await waitForRun(base, front.body.runs[0].runId);
    const next = await waitForRun(base, back[0]!);
    expect(next.startedAt).toBeGreaterThanOrEqual(first.finishedAt);
    // Anything but a boolean is refused.
    expect((await api(base, '/api/runs', { method: 'POST', json: { workflow: steps(4), front: 'yes' } })).status).toBe(400);
  });
});
