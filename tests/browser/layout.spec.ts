import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import {
  itemBoxes,
  nodeStatuses,
  openEditor,
  openWorkflowFile,
  outputsLoaded,
  overlappingPairs,
  setNumber,
  shot,
  type ItemBox,
  type SavedWorkflow,
} from './helpers.js';

/**
 * Every shipped workflow, as a user first sees it and after it ran (previews, summaries and outputs make nodes
 * grow): no node or note covers another. Boxes are the real ones in the DOM. The geometry is read in a window
 * large enough that every node is drawn in full (below the level-of-detail zoom nodes are sketches that keep their
 * last full size, so they would not show what a run added); screenshots are taken at 1366×768.
 */
const WORKFLOWS = readdirSync(path.resolve('workflows'))
  .filter((f) => f.endsWith('.json'))
  .sort();
const SMALL = { width: 1366, height: 768 };
const LARGE = { width: 2560, height: 1440 };

test.use({ viewport: SMALL });

function shipped(file: string): SavedWorkflow {
  return JSON.parse(readFileSync(path.resolve('workflows', file), 'utf8')) as SavedWorkflow;
}

/**
 * The file the test opens: the shipped one, except that Upscale nodes use Lanczos. A learned 2x of a 720p clip
 * takes minutes on two cores; the node, its widgets and its outputs are the same either way.
 */
function openable(file: string): string {
  const doc = shipped(file);
  const upscale = Object.values(doc.nodes).filter((n) => n.type === 'Upscale');
  if (upscale.length === 0) return path.resolve('workflows', file);
  for (const n of upscale) (n.params as Record<string, unknown>).method = 'lanczos';
  const copy = path.join(mkdtempSync(path.join(tmpdir(), 'kinegraph-layout-')), file);
  writeFileSync(copy, JSON.stringify(doc));
  return copy;
}

/** A window of that size with the graph fitted in it; `full`: nodes drawn in full, not as level-of-detail sketches. */
async function fitIn(page: Page, size: { width: number; height: number }, full: boolean): Promise<void> {
  await page.setViewportSize(size);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  if (full) await expect(page.getByTestId('canvas')).not.toHaveClass(/kg-lod-low/);
}

/** Fits the view at the given window size and waits until all items are drawn and none overlaps another. */
async function settledBoxes(page: Page, size: { width: number; height: number }, count: number, full: boolean): Promise<ItemBox[]> {
  await fitIn(page, size, full);
  await expect(page.locator('.react-flow__node:not(.react-flow__node-kgGroup)')).toHaveCount(count);
  // Making room runs once React Flow has measured the nodes: wait for it, then the layout must be free of overlaps.
  await expect.poll(async () => overlappingPairs(await itemBoxes(page))).toEqual([]);
  return itemBoxes(page);
}

async function check(page: Page, info: TestInfo, count: number, step: string): Promise<ItemBox[]> {
  const boxes = await settledBoxes(page, LARGE, count, true);
  await shot(page, info, `${step}-large`);
  await settledBoxes(page, SMALL, count, false);
  await shot(page, info, step);
  return boxes;
}

/** Sum of node heights relative to the zoom (the view fits the graph, so the zoom changes as it grows). */
function flowHeights(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const vp = document.querySelector('.react-flow__viewport') as HTMLElement;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(vp).transform).a;
    const out: Record<string, number> = {};
    for (const e of document.querySelectorAll<HTMLElement>('.react-flow__node'))
      out[e.dataset.id ?? ''] = e.getBoundingClientRect().height / zoom;
    return out;
  });
}

test('the default workflow on a first visit: no overlapping nodes', async ({ page }, info) => {
  const doc = shipped('photo-to-video.json');
  await openEditor(page);
  await check(page, info, Object.keys(doc.nodes).length + doc.ui.notes.length, 'first-visit');
});

for (const file of WORKFLOWS) {
  test(`${file}: no two nodes overlap, before and after a run`, async ({ page }, info) => {
    test.setTimeout(180_000);
    const doc = shipped(file);
    const count = Object.keys(doc.nodes).length + doc.ui.notes.length;
    await openEditor(page);
    await openWorkflowFile(page, openable(file));
    await expect(page.locator('.kg-node')).toHaveCount(Object.keys(doc.nodes).length);
    await check(page, info, count, 'opened');
    // A workflow of a paid API (meta.requires names its key) is checked as opened: no key here, and no test pays.
    const requires = (doc as { meta?: { requires?: string[] } }).meta?.requires ?? [];
    if (requires.length) {
      info.annotations.push({ type: 'run skipped', description: `needs ${requires.join(', ')}` });
      return;
    }
    await fitIn(page, LARGE, true);
    const before = await flowHeights(page);

    // A short clip keeps the suite quick on two cores; the layout question is the same at any length.
    for (const [id, n] of Object.entries(doc.nodes)) if (n.type === 'Denoise') await setNumber(page, id, 'duration', 2);
    // Every node runs (none from an earlier test's cache), so each shows all a run adds.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/cache/free') && r.ok()),
      page.getByRole('button', { name: 'free cache' }).click(),
    ]);
    const [submitted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST'),
      page.getByTestId('run').click(),
    ]);
    const runId = ((await submitted.json()) as { runs: { runId: string }[] }).runs[0]!.runId;
    await expect(page.getByTestId('last-run')).toHaveAttribute('data-run-id', runId, { timeout: 150_000 });
    await expect(page.getByTestId('last-run')).toContainText('succeeded');
    await outputsLoaded(page);
    expect(Object.values(await nodeStatuses(page)).filter((st) => st !== 'executed')).toEqual([]);

    const after = await check(page, info, count, 'after-run');
    // The run did make nodes grow (outputs, previews, summaries), so the check above is about the grown layout.
    await fitIn(page, LARGE, true);
    const grown = await flowHeights(page);
    const taller = Object.keys(before).filter((id) => grown[id] > before[id] + 20);
    expect(taller.length, `nodes that grew: ${taller.join(', ')}`).toBeGreaterThan(0);
    expect(after.length).toBe(count);
  });
}

test('a group fits the real boxes of what it holds, and grows with them; a node that grows pushes the one below', async ({
  page,
}, info) => {
  await openEditor(page);
  await fitIn(page, LARGE, true);
  const box = async (id: string) => (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  const inside = (inner: { x: number; y: number; width: number; height: number }, outer: typeof inner) =>
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height;

  // Encode Prompt and the negative one below it, grouped.
  await page.locator('.react-flow__node[data-id="prompt"] .kg-node-title').click();
  await page.locator('.react-flow__node[data-id="negative"] .kg-node-title').click({ modifiers: ['Shift'] });
  await page.getByRole('button', { name: 'Group', exact: true }).click();
  const group = page.locator('.react-flow__node-kgGroup');
  await expect(group).toHaveCount(1);
  for (const id of ['prompt', 'negative']) expect(inside(await box(id), (await group.boundingBox())!), id).toBe(true);
  // Not a default-sized box: its height follows the two nodes (within its padding).
  const g = (await group.boundingBox())!;
  const span = (await box('negative')).y + (await box('negative')).height - (await box('prompt')).y;
  expect(g.height - span).toBeLessThan(100);

  // Denoise grows (its advanced settings open): the group is elsewhere, nothing overlaps, and the node grew.
  const denoise = await box('denoise');
  await page.locator('.react-flow__node[data-id="denoise"] .kg-advanced-toggle').click();
  await expect.poll(async () => (await box('denoise')).height).toBeGreaterThan(denoise.height + 40);
  await expect.poll(async () => overlappingPairs(await itemBoxes(page))).toEqual([]);

  // The first prompt grows (its text field made taller, as dragging the field's corner does; a run's summary
  // does the same): the negative prompt is pushed down and the group grows to hold both.
  const negativeY = (await box('negative')).y;
  await page.locator('.react-flow__node[data-id="prompt"] textarea[data-param="text"]').evaluate((t: HTMLTextAreaElement) => {
    t.style.height = '400px';
  });
  await expect.poll(async () => (await box('negative')).y).toBeGreaterThan(negativeY + 100);
  await expect.poll(async () => overlappingPairs(await itemBoxes(page))).toEqual([]);
  await expect.poll(async () => inside(await box('negative'), (await group.boundingBox())!)).toBe(true);
  expect(inside(await box('prompt'), (await group.boundingBox())!)).toBe(true);
  await shot(page, info, 'group-grown');
});
