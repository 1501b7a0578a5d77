import { describe, expect, it } from 'vitest';
import { api, removeDir, startTestServer, tempDir, testJpeg, useTestServer, waitForRun, workflow } from './harness.js';

let base: string;
/** The names the uploads were stored under (the server adds a content hash). */
const names: string[] = [];
useTestServer((url) => (base = url));

const resize = (image: string) =>
  workflow({
    load: { type: 'LoadImage', params: { image } },
    resize: { type: 'ResizeImage', params: { width: 64, height: 48, mode: 'crop' }, inputs: { image: ['load', 'image'] } },
    save: { type: 'SaveImage', params: { filename_prefix: 'sweep' }, inputs: { image: ['resize', 'image'] } },
  });

describe('POST /api/runs with sweep and each', () => {
  it('queues one run per variant (each file x each value), recording each variant in its history entry', async () => {
    for (const [file, w] of [
      ['sweep-a.jpg', 320],
      ['sweep-b.jpg', 240],
    ] as const) {
      const up = await api(base, `/api/uploads?kind=image&filename=${file}`, { method: 'POST', body: await testJpeg(w, 200) });
      expect(up.status).toBe(201);
      names.push(up.body.name);
    }
    const sub = await api(base, '/api/runs', {
      method: 'POST',
      json: { workflow: resize('unused.jpg'), each: ['load.image=sweep-*.jpg'], sweep: ['resize.width=32,48'] },
    });
    expect(sub.status).toBe(201);
    expect(sub.body.runs).toHaveLength(4);
    const recs = [];
    for (const { runId } of sub.body.runs) recs.push(await waitForRun(base, runId));
    expect(recs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const sorted = [...names].sort();
    expect(recs.map((r) => r.variant)).toEqual([
      { 'load.image': sorted[0], 'resize.width': 32 },
      { 'load.image': sorted[0], 'resize.width': 48 },
      { 'load.image': sorted[1], 'resize.width': 32 },
      { 'load.image': sorted[1], 'resize.width': 48 },
    ]);
    expect(recs[1].workflow.meta.variant).toEqual(recs[1].variant);
    expect(recs[1].workflow.nodes.resize.params.width).toBe(48);
    expect(recs[1].title).toMatch(/width=48/);
    const files = recs.map((r) => r.outputs[0].filename as string);
    expect(new Set(files).size).toBe(4);
    expect(files[0]).toMatch(/^sweep_image-sweep-a.*_width-32_\d+\.png$/);
  });

  it('zips, and refuses bad requests with a clear 400 before queuing anything', async () => {
    const zipped = await api(base, '/api/runs', {
      method: 'POST',
      json: { workflow: resize(names[0]), sweep: ['resize.width=32,40', 'resize.height=24,32'], zip: true },
    });
    expect(zipped.status, JSON.stringify(zipped.body)).toBe(201);
    const recs = [];
    for (const { runId } of zipped.body.runs) recs.push(await waitForRun(base, runId));
    expect(recs.map((r) => r.variant)).toEqual([
      { 'resize.width': 32, 'resize.height': 24 },
      { 'resize.width': 40, 'resize.height': 32 },
    ]);

    const cases: Array<[unknown, RegExp]> = [
      [{ sweep: ['width=1..2'] }, /should look like <nodeId>\.<param>=<values>/],
      [{ sweep: ['resize.width=@list.txt'] }, /read by the command line only/],
      [{ sweep: ['resize.width=32,48', 'resize.height=1,2,3'], zip: true }, /same number of values on every axis/],
      [{ each: ['load.image=nothing-*.png'] }, /no file of the input folder matches nothing-\*\.png/],
      [{ each: ['load.image=../*.json'] }, /inside the input folder/],
      [{ sweep: ['resize.colour=1,2'] }, /ResizeImage has no parameter \\"colour\\"/],
      [{ sweep: ['resize.width=32,-5'] }, /width=-5: /],
    ];
    for (const [extra, message] of cases) {
      const r = await api(base, '/api/runs', { method: 'POST', json: { workflow: resize(names[0]), ...(extra as object) } });
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(JSON.stringify(r.body.error), JSON.stringify(extra)).toMatch(message);
    }
    expect((await api(base, '/api/queue')).body.pending ?? []).toEqual([]);
  });

  it('respects the queue cap: a sweep that does not fit is refused whole (429), nothing queued', async () => {
    const dir = await tempDir();
    const small = await startTestServer(dir, { maxQueuedRuns: 3 });
    try {
      await api(small.url, '/api/queue/pause', { method: 'POST' });
      const wf = workflow({ s: { type: 'TestSteps', params: { steps: 1, delay_ms: 0 } } });
      const tooMany = await api(small.url, '/api/runs', { method: 'POST', json: { workflow: wf, sweep: ['s.seed=1..4'] } });
      expect(tooMany.status).toBe(429);
      expect((await api(small.url, '/api/queue')).body.pending).toEqual([]);
      const fits = await api(small.url, '/api/runs', { method: 'POST', json: { workflow: wf, sweep: ['s.seed=1..3'] } });
      expect(fits.status).toBe(201);
      expect(fits.body.runs).toHaveLength(3);
    } finally {
      await small.close();
      await removeDir(dir);
    }
  });
});
