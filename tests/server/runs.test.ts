import { describe, expect, it } from 'vitest';
import { api, useTestServer, testJpeg, waitForRun, workflow, WsProbe } from './harness.js';

let base: string;
useTestServer((url) => (base = url));

const steps = (id: string, p: Record<string, unknown>) => workflow({ [id]: { type: 'TestSteps', params: p } });

describe('runs over HTTP and WebSocket', () => {
  it('runs the default workflow as shipped: its example photo is in the input folder and served', async () => {
    const wf = await api(base, '/api/workflows/photo-to-video');
    expect(wf.status).toBe(200);
    const doc = wf.body.workflow ?? wf.body;
    const image = doc.nodes.image.params.image as string;
    const file = await fetch(`${base}/files/input/${encodeURIComponent(image)}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^image\/jpeg/);
    // Only what LoadImage needs runs (the full render is the i2v tests' job).
    const sub = await api(base, '/api/runs', { method: 'POST', json: { workflow: doc, targets: ['image'] } });
    expect(sub.status).toBe(201);
    const rec = await waitForRun(base, sub.body.runs[0].runId);
    expect(rec.status).toBe('succeeded');
  });

  it('runs an image workflow: ordered events, history with hashes and versions, output fetched with a range request', async () => {
    const up = await api(base, '/api/uploads?kind=image&filename=photo.jpg', { method: 'POST', body: await testJpeg() });
    expect(up.status).toBe(201);
    const ws = await WsProbe.open(base);
    await ws.until((p) => p.messages.length > 0);
    expect(ws.messages[0]!.type).toBe('snapshot');

    const wf = workflow({
      load: { type: 'LoadImage', params: { image: up.body.name } },
      resize: { type: 'ResizeImage', params: { width: 64, height: 48, mode: 'crop' }, inputs: { image: ['load', 'image'] } },
      save: { type: 'SaveImage', params: { filename_prefix: 'server test' }, inputs: { image: ['resize', 'image'] } },
    });
    const sub = await api(base, '/api/runs', { method: 'POST', json: { workflow: wf } });
    expect(sub.status).toBe(201);
    const runId = sub.body.runs[0].runId as string;
    await ws.until((p) => p.runEnded(runId));
    const types = ws.events.filter((e) => e.runId === runId).map((e) => `${e.type}${'nodeId' in e && e.nodeId ? ':' + e.nodeId : ''}`);
    expect(types).toEqual([
      'run_started',
      'node_started:load',
      'node_finished:load',
      'node_started:resize',
      'node_finished:resize',
      'node_started:save',
      'node_finished:save',
      'run_finished',
    ]);
    // Queue messages tell every tab the run moved from pending to running to done.
    expect(ws.messages.some((m) => m.type === 'queue' && m.queue.running?.runId === runId)).toBe(true);

    const rec = await waitForRun(base, runId);
    expect(rec.status).toBe('succeeded');
    expect(rec.nodes.resize.status).toBe('executed');
    expect(typeof rec.nodes.resize.durationMs).toBe('number');
    expect(rec.inputHashes[up.body.name]).toMatch(/^[0-9a-f]{64}$/);
    expect(rec.nodeVersions).toMatchObject({ LoadImage: 1, ResizeImage: 1, SaveImage: 1 });
    expect(rec.workflow.nodes.resize.params).toMatchObject({ width: 64, height: 48, mode: 'crop', multiple_of: 8 });
    expect(rec.outputs).toHaveLength(1);
    const out = rec.outputs[0];
    expect(out).toMatchObject({ nodeId: 'save', folder: 'output', mime: 'image/png' });

    const full = await fetch(base + out.url);
    expect(full.status).toBe(200);
    const bytes = new Uint8Array(await full.arrayBuffer());
    expect([...bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const part = await fetch(base + out.url, { headers: { range: 'bytes=8-23' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 8-23/${bytes.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(8, 24));
    ws.close();
  });

  it('answers an invalid workflow with 400 and every problem on its node and field', async () => {
    const wf = workflow({
      a: { type: 'NoSuchNode' },
      b: { type: 'ResizeImage', params: { width: -5, mode: 'sideways' } },
      c: { type: 'SaveImage', inputs: { image: ['b', 'nope'] } },
    });
    const res = await api(base, '/api/runs', { method: 'POST', json: { workflow: wf } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const issues = res.body.error.issues as Array<{ code: string; nodeId?: string; field?: string }>;
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown_node_type', nodeId: 'a' }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'invalid_param', nodeId: 'b', field: 'width' }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'invalid_param', nodeId: 'b', field: 'mode' }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'missing_input', nodeId: 'b', field: 'image' }));
    expect(issues.some((i) => i.nodeId === 'c' && i.code === 'link_to_missing_output')).toBe(true);

    const missing = workflow({
      load: { type: 'LoadImage', params: { image: 'never-uploaded.jpg' } },
      save: { type: 'SaveImage', inputs: { image: ['load', 'image'] } },
    });
    const m = await api(base, '/api/runs', { method: 'POST', json: { workflow: missing } });
    expect(m.status).toBe(400);
    expect(m.body.error.issues).toEqual([expect.objectContaining({ code: 'invalid_param', nodeId: 'load', field: 'image' })]);

    // No photo picked yet: refused at submit on the field, not queued to fail in LoadImage.
    const unchosen = workflow({
      load: { type: 'LoadImage', params: { image: '' } },
      save: { type: 'SaveImage', inputs: { image: ['load', 'image'] } },
    });
    const u = await api(base, '/api/runs', { method: 'POST', json: { workflow: unchosen } });
    expect(u.status).toBe(400);
    expect(u.body.error.issues).toEqual([
      expect.objectContaining({ code: 'invalid_param', nodeId: 'load', field: 'image', message: 'No file chosen' }),
    ]);

    const bad = await api(base, '/api/runs', { method: 'POST', json: { workflow: {}, batch: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    const notJson = await api(base, '/api/runs', { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    // Nothing would run: refused at submit rather than queued to fail.
    const noOutput = await api(base, '/api/runs', {
      method: 'POST',
      json: { workflow: workflow({ n: { type: 'Int', params: { value: 1 } } }) },
    });
    expect(noOutput.status).toBe(400);
    expect(noOutput.body.error.issues).toEqual([expect.objectContaining({ code: 'no_outputs' })]);
    const badTarget = await api(base, '/api/runs', { method: 'POST', json: { workflow: missing, targets: ['nope'] } });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.issues).toContainEqual(expect.objectContaining({ code: 'unknown_target', nodeId: 'nope' }));
    const badForce = await api(base, '/api/runs', { method: 'POST', json: { workflow: steps('s', { steps: 1 }), force: ['typo'] } });
    expect(badForce.status).toBe(400);
    expect(badForce.body.error.issues).toEqual([expect.objectContaining({ code: 'unknown_target', nodeId: 'typo' })]);

    // curl --data @run.json without -H sends a form: the answer names the content type to use.
    const form = await fetch(`${base}/api/runs`, {
      method: 'POST',
      body: JSON.stringify({ workflow: missing }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect((await form.json()).error.message).toMatch(/Content-Type: application\/json.*x-www-form-urlencoded/);
  });

  it('runs the queue in order, pauses and resumes, cancels a queued run', async () => {
    expect((await api(base, '/api/queue/pause', { method: 'POST' })).body).toEqual({ paused: true });
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) {
      const r = await api(base, '/api/runs', {
        method: 'POST',
        json: { workflow: steps('s', { steps: 2, seed, delay_ms: 1, preview: false }) },
      });
      ids.push(r.body.runs[0].runId);
      expect(r.body.runs[0].position).toBe(ids.length - 1);
    }
    const q = await api(base, '/api/queue');
    expect(q.body.paused).toBe(true);
    expect(q.body.running).toBeNull();
    expect(q.body.pending.map((r: { runId: string }) => r.runId)).toEqual(ids);

    const del = await api(base, `/api/queue/${ids[1]}`, { method: 'DELETE' });
    expect(del.body).toEqual({ runId: ids[1], result: 'cancelled' });
    expect((await api(base, `/api/queue/${ids[1]}`, { method: 'DELETE' })).status).toBe(404);

    await api(base, '/api/queue/resume', { method: 'POST' });
    const first = await waitForRun(base, ids[0]!);
    const third = await waitForRun(base, ids[2]!);
    expect(first.status).toBe('succeeded');
    expect(third.status).toBe('succeeded');
    expect(third.startedAt).toBeGreaterThanOrEqual(first.finishedAt);
    expect((await api(base, `/api/history/${ids[1]}`)).body.status).toBe('cancelled');
  });

  it('a batch offsets every seed so each run differs', async () => {
    const r = await api(base, '/api/runs', {
      method: 'POST',
      json: { workflow: steps('s', { steps: 1, seed: 100, delay_ms: 0 }), batch: 3 },
    });
    expect(r.body.runs).toHaveLength(3);
    const seeds = [];
    for (const { runId } of r.body.runs) seeds.push((await waitForRun(base, runId)).workflow.nodes.s.params.seed);
    expect(seeds).toEqual([100, 101, 102]);
  });

  it('interrupts a long run; the next queued run still runs', async () => {
    const ws = await WsProbe.open(base);
    const long = await api(base, '/api/runs', { method: 'POST', json: { workflow: steps('s', { steps: 100_000, delay_ms: 2, seed: 7 }) } });
    const next = await api(base, '/api/runs', { method: 'POST', json: { workflow: steps('s', { steps: 1, delay_ms: 0, seed: 8 }) } });
    const longId = long.body.runs[0].runId;
    await ws.until((p) => p.events.some((e) => e.runId === longId && e.type === 'progress'));
    const t0 = performance.now();
    const res = await api(base, '/api/interrupt', { method: 'POST', json: {} });
    expect(res.body).toEqual({ interrupted: longId });
    await ws.until((p) => p.runEnded(longId));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(ws.events.find((e) => e.runId === longId && e.type === 'run_interrupted')).toBeTruthy();
    expect((await waitForRun(base, longId)).status).toBe('interrupted');
    expect((await waitForRun(base, next.body.runs[0].runId)).status).toBe('succeeded');
    ws.close();
  });

  it('DELETE on the running run interrupts it', async () => {
    const ws = await WsProbe.open(base);
    const long = await api(base, '/api/runs', { method: 'POST', json: { workflow: steps('s', { steps: 100_000, delay_ms: 2, seed: 9 }) } });
    const id = long.body.runs[0].runId;
    await ws.until((p) => p.events.some((e) => e.runId === id && e.type === 'progress'));
    expect((await api(base, `/api/queue/${id}`, { method: 'DELETE' })).body).toEqual({ runId: id, result: 'interrupting' });
    const rec = await waitForRun(base, id);
    expect(rec).toMatchObject({
      status: 'interrupted',
      error: { code: 'interrupted', nodeId: 's' },
      nodes: { s: { status: 'interrupted' } },
    });
    ws.close();
  });

  it('pages history, newest first, and 404s an unknown run', async () => {
    const all = await api(base, '/api/history?offset=0&limit=500');
    expect(all.body.total).toBeGreaterThanOrEqual(7);
    const created = all.body.items.map((r: { createdAt: number }) => r.createdAt);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    const page = await api(base, '/api/history?offset=2&limit=3');
    expect(page.body.items.map((r: { runId: string }) => r.runId)).toEqual(
      all.body.items.slice(2, 5).map((r: { runId: string }) => r.runId),
    );
    expect((await api(base, '/api/history?limit=0')).status).toBe(400);
    expect((await api(base, '/api/history/rzzzz-unknown')).status).toBe(404);
    expect((await api(base, '/api/history/..%2Fqueue')).status).toBe(400);
  });
});
