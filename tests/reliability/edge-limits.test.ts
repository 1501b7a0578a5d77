import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, removeDir, startTestServer, tempDir, waitForRun, workflow } from '../server/harness.js';

/** Faults 1, 2 and 8 of issue 12: what the HTTP edge accepts is bounded, and every refusal names its limit. */
describe('limits at the HTTP edge', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let url: string;
  const ok = () => workflow({ s: { type: 'TestSteps', params: { steps: 1, delay_ms: 0 } } });
  const post = (json: unknown) => api(url, '/api/runs', { method: 'POST', json });
  const raw = (body: string) => api(url, '/api/runs', { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    dir = await tempDir('kg-limits-');
    server = await startTestServer(dir, { maxQueuedRuns: 6 });
    url = server.url;
  });
  afterAll(async () => {
    await server.close();
    await removeDir(dir);
  });

  /** The queue still works and its file still parses: nothing a refused request did stuck. */
  async function stillHealthy() {
    const r = await post({ workflow: ok() });
    expect(r.status).toBe(201);
    expect((await waitForRun(url, r.body.runs[0].runId)).status).toBe('succeeded');
    JSON.parse(await readFile(path.join(dir, 'runs', 'queue.json'), 'utf8'));
  }

  it('refuses unknown fields nested thousands deep, naming the depth limit', async () => {
    const deep = '{"a":'.repeat(4200) + '1' + '}'.repeat(4200);
    const body = `{"workflow":{"format":"kinegraph.workflow","version":1,"nodes":{"s":{"type":"TestSteps","extra":${deep}}},"meta":{"x":${deep}}}}`;
    const r = await raw(body);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'limit_exceeded', limit: { name: 'maxJsonDepth', max: 64 } });
    expect(r.body.error.message).toMatch(/maxJsonDepth/);
    await stillHealthy();
  });

  it('refuses a huge text, and batch x size over the limit', async () => {
    const huge = { ...ok(), meta: { description: 'x'.repeat(6 * 1024 * 1024) } };
    const r = await post({ workflow: huge, batch: 100 });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'limit_exceeded', limit: { name: 'maxStringLength' } });
    const big = { ...ok(), meta: { description: 'x'.repeat(900_000) } };
    const b = await post({ workflow: big, batch: 100 });
    expect(b.status).toBe(413);
    expect(b.body.error).toMatchObject({ code: 'payload_too_large', limit: { name: 'maxBatchBytes' } });
    expect(b.body.error.message).toMatch(/batch/);
    await stillHealthy();
  });

  it('refuses too many nodes, naming the limit', async () => {
    const nodes: Record<string, { type: string }> = {};
    for (let i = 0; i < 10_001; i++) nodes[`n${i}`] = { type: 'TestSteps' };
    const r = await post({ workflow: { format: 'kinegraph.workflow', version: 1, nodes } });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'limit_exceeded', limit: { name: 'maxNodes', max: 10_000 } });
  });

  // Fault 2: a 4 MB body of 2 million bad entries got a 218 MB answer after 10-16 s.
  it('answers 2 million bad entries small, with one problem', async () => {
    const body = `{"workflow":{"format":"kinegraph.workflow","version":1,"nodes":{},"ui":{"notes":[${new Array(2_000_000).fill('1').join(',')}]}}}`;
    expect(body.length).toBeGreaterThan(4_000_000);
    const res = await fetch(url + '/api/runs', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const text = await res.text();
    expect(res.status).toBe(413);
    expect(text.length).toBeLessThan(2000);
    expect(JSON.parse(text).error).toMatchObject({ code: 'limit_exceeded', limit: { name: 'maxEntries' } });
  });

  it('lists the first 100 problems of many and counts the rest', async () => {
    const wf = { ...ok(), ui: { notes: new Array(5000).fill(1) } };
    const res = await fetch(url + '/api/runs', {
      method: 'POST',
      body: JSON.stringify({ workflow: wf }),
      headers: { 'content-type': 'application/json' },
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(64 * 1024);
    const { error } = JSON.parse(text);
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toHaveLength(100);
    expect(error.omittedIssues).toBe(4900);
    expect(error.message).toBe('The workflow has 5000 problems (the first 100 are listed)');
  });

  // Fault 8: a full queue refuses clearly.
  it('caps the queue with a clear 429', async () => {
    await api(url, '/api/queue/pause', { method: 'POST' });
    try {
      expect((await post({ workflow: ok(), batch: 4 })).status).toBe(201);
      const over = await post({ workflow: ok(), batch: 3 });
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('queue_full');
      expect(over.body.error.message).toBe(
        'The queue holds 4 runs and takes at most 6; 3 more would not fit. Wait for runs to finish or cancel some.',
      );
      expect((await post({ workflow: ok(), batch: 2 })).status).toBe(201);
      expect((await post({ workflow: ok() })).status).toBe(429);
      expect((await api(url, '/api/queue')).body.pending).toHaveLength(6);
      const limits = await api(url, '/api/limits');
      expect(limits.body).toMatchObject({ maxQueuedRuns: 6, maxJsonDepth: 64, maxReportedIssues: 100 });
    } finally {
      await api(url, '/api/queue/resume', { method: 'POST' });
    }
    for (const r of (await api(url, '/api/queue')).body.pending) await waitForRun(url, r.runId);
  });
});
