import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { GridResponseSchema } from '../../apps/runtime/src/protocol/grid.js';
import { api, testJpeg, useTestServer, waitForRun, workflow } from './harness.js';

let base: string;
useTestServer((url) => (base = url));

const resize = (image: string) =>
  workflow({
    note: { type: 'String', params: { value: '' } },
    load: { type: 'LoadImage', params: { image } },
    resize: { type: 'ResizeImage', params: { width: 64, height: 48, mode: 'crop' }, inputs: { image: ['load', 'image'] } },
    save: { type: 'SaveImage', params: { filename_prefix: 'grid' }, inputs: { image: ['resize', 'image'] } },
  });

describe('sweeps given as values, and POST /api/grids', () => {
  it('sweeps text holding commas given as values, then lays the runs out as a labelled grid picture', async () => {
    const up = await api(base, '/api/uploads?kind=image&filename=grid-src.jpg', { method: 'POST', body: await testJpeg(320, 200) });
    expect(up.status).toBe(201);
    const sub = await api(base, '/api/runs', {
      method: 'POST',
      json: { workflow: resize(up.body.name), sweep: [{ param: 'note.value', values: ['left, right', 'up'] }, 'resize.width=32,48'] },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    expect(sub.body.runs).toHaveLength(4);
    const runIds: string[] = sub.body.runs.map((r: { runId: string }) => r.runId);
    const recs = [];
    for (const id of runIds) recs.push(await waitForRun(base, id));
    expect(recs.map((r) => r.variant)).toEqual([
      { 'note.value': 'left, right', 'resize.width': 32 },
      { 'note.value': 'left, right', 'resize.width': 48 },
      { 'note.value': 'up', 'resize.width': 32 },
      { 'note.value': 'up', 'resize.width': 48 },
    ]);

    const grid = await api(base, '/api/grids', { method: 'POST', json: { runIds } });
    expect(grid.status, JSON.stringify(grid.body)).toBe(201);
    const { outputs } = GridResponseSchema.parse(grid.body);
    // Pictures only: a PNG and no video.
    expect(outputs.map((o) => o.mime)).toEqual(['image/png']);
    const png = await fetch(base + outputs[0].url);
    expect(png.status).toBe(200);
    const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect(meta.format).toBe('png');
    // Two rows (the prompts) by two columns (the widths), each cell three frames across: wider than one cell.
    expect(meta.width).toBeGreaterThan(2 * 32);
    expect(meta.height).toBeGreaterThan(2 * 24);
  });

  it('refuses an unknown run (404) and a bad body (400)', async () => {
    const missing = await api(base, '/api/grids', { method: 'POST', json: { runIds: ['nope-123'] } });
    expect(missing.status).toBe(404);
    const empty = await api(base, '/api/grids', { method: 'POST', json: { runIds: [] } });
    expect(empty.status).toBe(400);
    const bad = await api(base, '/api/runs', {
      method: 'POST',
      json: { workflow: resize('x.jpg'), sweep: [{ param: 'width', values: [1] }] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toMatch(/<nodeId>\.<param>/);
  });
});
