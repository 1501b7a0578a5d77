import { expect, test, type Page } from '@playwright/test';
import {
  addNodeViaSearch,
  dragLink,
  dropOnCanvas,
  flowNode,
  handle,
  newCanvas,
  nodeStatuses,
  openEditor,
  saveWorkflow,
  shot,
  testPhoto,
  type SavedWorkflow,
} from './helpers.js';

interface NodeType {
  type: string;
  title: string;
}

async function defaultWorkflow(page: Page): Promise<SavedWorkflow> {
  const res = await page.request.get('/api/workflows/photo-to-video');
  expect(res.ok()).toBe(true);
  return (await res.json()) as SavedWorkflow;
}

function links(doc: SavedWorkflow): string[] {
  return Object.entries(doc.nodes).flatMap(([id, n]) =>
    Object.entries(n.inputs ?? {}).map(([input, [src, out]]) => `${src}.${out}->${id}.${input}`),
  );
}

test('the default workflow loads on a first visit, and can be built again from an empty canvas', async ({ page }, info) => {
  const wanted = await defaultWorkflow(page);
  const types = ((await (await page.request.get('/api/nodes')).json()) as { nodes: NodeType[] }).nodes;
  const title = (type: string) => types.find((t) => t.type === type)!.title;
  const ids = Object.keys(wanted.nodes);

  // A window where the whole graph fits at a readable zoom, so every node can be placed again by pointing at it.
  await page.setViewportSize({ width: 2400, height: 1300 });
  await openEditor(page);
  await expect(page.locator('.kg-node')).toHaveCount(ids.length);
  await expect(page.locator('.react-flow__edge')).toHaveCount(links(wanted).length);
  await expect(page.getByTestId('missing')).toBeHidden();
  await shot(page, info, 'default-loaded');

  // Where each node sits in this window, so the rebuilt graph gets the same (readable) layout.
  const boxes = new Map<string, { x: number; y: number }>();
  for (const id of ids) boxes.set(id, (await flowNode(page, id).boundingBox())!);

  await newCanvas(page);
  const newId = new Map<string, string>();
  for (const [i, id] of ids.entries()) {
    const box = boxes.get(id)!;
    await addNodeViaSearch(page, title(wanted.nodes[id].type), wanted.nodes[id].type, { x: box.x + 2, y: box.y + 2 });
    newId.set(id, String(i + 1));
  }
  await shot(page, info, 'nodes-from-search');
  for (const [id, node] of Object.entries(wanted.nodes)) {
    for (const [input, [src, out]] of Object.entries(node.inputs ?? {})) {
      await dragLink(page, handle(page, newId.get(src)!, out, 'source'), handle(page, newId.get(id)!, input, 'target'));
    }
  }
  await expect(page.locator('.react-flow__edge')).toHaveCount(links(wanted).length);
  await shot(page, info, 'links-dragged');

  const { doc } = await saveWorkflow(page, info);
  const renamed = links(wanted).map((l) =>
    l.replace(/^([^.]+)\.(.+)->([^.]+)\.(.+)$/, (_m, s, o, t, i) => `${newId.get(s)}.${o}->${newId.get(t)}.${i}`),
  );
  expect(links(doc).sort()).toEqual(renamed.sort());
  for (const id of ids) expect(doc.nodes[newId.get(id)!].type).toBe(wanted.nodes[id].type);
});

test('run the default workflow on an uploaded photo: progress, preview, a playing video; a new seed reuses the cache', async ({
  page,
}, info) => {
  test.setTimeout(150_000);
  const wanted = await defaultWorkflow(page);
  await openEditor(page);
  const loader = page.locator('.kg-node[data-node-type="LoadImage"]');
  await loader.locator('input[type="file"]').setInputFiles(await testPhoto());
  await expect(loader.locator('img.kg-thumb')).toHaveJSProperty('complete', true);
  await expect.poll(() => loader.locator('img.kg-thumb').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await shot(page, info, 'photo-uploaded');

  // A 2-second clip keeps the suite quick on two cores; the video must come out exactly that long.
  const seconds = 2;
  const denoiseId = Object.entries(wanted.nodes).find(([, n]) => n.type === 'Denoise')![0];
  const durationField = flowNode(page, denoiseId).locator('[data-param="duration"]');
  await durationField.locator('.kg-number-value').click();
  await durationField.locator('input').fill(String(seconds));
  await durationField.locator('input').press('Enter');
  await expect(durationField).toContainText(String(seconds));

  await page.keyboard.press('Control+Enter');
  await expect(page.locator('.kg-node[data-status="running"]').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.kg-progress').first()).toBeVisible();
  await shot(page, info, 'running');
  await expect(page.getByTestId('preview').first()).toBeVisible({ timeout: 60_000 });
  await shot(page, info, 'preview');

  const video = page.locator('.kg-node[data-node-type="SaveVideo"] video');
  await expect(video).toBeVisible({ timeout: 90_000 });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  const denoise = Object.values(wanted.nodes).find((n) => n.type === 'Denoise')!;
  expect(duration).toBeGreaterThan(seconds - 0.25);
  expect(duration).toBeLessThan(seconds + 0.25);
  expect(await video.evaluate((v: HTMLVideoElement) => v.loop)).toBe(true);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0);
  await expect(page.locator('.kg-node[data-node-type="SaveVideo"] a[download]')).toBeVisible();
  await expect(page.getByTestId('last-run')).toContainText('succeeded');
  await shot(page, info, 'video-playing');

  // A new seed: only the sampler and what follows run again; everything upstream comes from the cache.
  const seedId = Object.entries(wanted.nodes).find(([, n]) => n.type === 'Denoise')![0];
  const seed = flowNode(page, seedId).locator('[data-param="seed"]');
  await seed.locator('.kg-number-value').click();
  await seed.locator('input').fill(String(Number(denoise.params.seed) + 1));
  await seed.locator('input').press('Enter');
  const [submitted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST'),
    page.keyboard.press('Control+Enter'),
  ]);
  const runId = ((await submitted.json()) as { runs: { runId: string }[] }).runs[0]!.runId;
  await expect(page.getByTestId('last-run')).toHaveAttribute('data-run-id', runId, { timeout: 90_000 });
  await expect(page.getByTestId('last-run')).toContainText('succeeded');
  const statuses = await nodeStatuses(page);
  // What feeds the sampler comes from the cache; nothing above it runs again (nodes further up are not even
  // consulted, so they stay idle).
  const feeders = new Set(Object.values(wanted.nodes[seedId].inputs).map(([src]) => src));
  for (const id of feeders) expect(statuses[id], `node ${id}`).toBe('cached');
  const upstream = Object.entries(wanted.nodes).filter(([, n]) =>
    ['LoadImage', 'LoadModel', 'EncodeImage', 'EncodePrompt'].includes(n.type),
  );
  for (const [id] of upstream) expect(['cached', 'idle'], `node ${id}: ${statuses[id]}`).toContain(statuses[id]);
  for (const [id, n] of Object.entries(wanted.nodes))
    if (['DecodeVideo', 'SaveVideo'].includes(n.type)) expect(statuses[id]).toBe('executed');
  await expect(page.locator('.kg-badge.cached').first()).toBeVisible();
  await shot(page, info, 'rerun-cached');

  // Undo is about the document: it puts the seed back but keeps the finished video and previews.
  await page.keyboard.press('Control+z');
  await expect(seed).toContainText(String(denoise.params.seed));
  await expect(video).toBeVisible();
  await expect(page.getByTestId('preview').first()).toBeVisible();

  // The MP4 carries its workflow: dropping it on an empty canvas brings the graph back.
  const src = await video.getAttribute('src');
  await newCanvas(page);
  await dropOnCanvas(page, { name: 'photo-to-video.mp4', mime: 'video/mp4', url: src! });
  await expect(page.locator('.kg-node')).toHaveCount(Object.keys(wanted.nodes).length);
  await expect(page.locator('.react-flow__edge')).toHaveCount(links(wanted).length);
  await shot(page, info, 'mp4-dropped');

  // History: both runs are listed; loading one restores its workflow and outputs.
  await page.getByRole('button', { name: 'History' }).click();
  const rows = page.getByTestId('history').locator('.kg-run-row');
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
  await rows.first().getByRole('button', { name: 'Load' }).click();
  await expect(page.locator('.kg-node[data-node-type="SaveVideo"] video')).toBeVisible();
  await shot(page, info, 'history-loaded');
  await rows.first().getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('run-details')).toContainText('from the cache');
  await expect(page.getByTestId('run-details').locator('video')).toBeVisible();

  // Rerun queues that exact workflow again: everything comes from the cache.
  const [again] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST'),
    rows.first().getByRole('button', { name: 'Rerun' }).click(),
  ]);
  const rerunId = ((await again.json()) as { runs: { runId: string }[] }).runs[0]!.runId;
  await page.getByRole('button', { name: /^Queue/ }).click();
  await expect(page.getByTestId('last-run')).toHaveAttribute('data-run-id', rerunId, { timeout: 60_000 });
  await expect(page.getByTestId('last-run')).toContainText('succeeded');
});
