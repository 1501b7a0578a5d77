import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  dropOnCanvas,
  flowNode,
  itemBoxes,
  newCanvas,
  openEditor,
  openWorkflowFile,
  overlappingPairs,
  shot,
  type SavedWorkflow,
} from './helpers.js';

/**
 * Arrange applied by itself to graphs that come in without usable positions (opened, dropped or pasted): none at
 * all, only some, or stored positions whose real boxes overlap. A graph with good positions keeps them. And the
 * Arrange button on every shipped workflow leaves no two boxes overlapping. Boxes are the DOM's.
 */
const WORKFLOWS = readdirSync(path.resolve('workflows'))
  .filter((f) => f.endsWith('.json'))
  .sort();
// Large enough that every node is drawn in full at the fitted zoom (not as a level-of-detail sketch).
test.use({ viewport: { width: 2560, height: 1440 } });

function shipped(file = 'photo-to-video.json'): SavedWorkflow {
  return JSON.parse(readFileSync(path.resolve('workflows', file), 'utf8')) as SavedWorkflow;
}

function writeTemp(name: string, doc: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kg-arrange-')), name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** Where each item sits in flow coordinates (React Flow's transform on the node element). */
function positions(page: Page): Promise<Record<string, { x: number; y: number }>> {
  return page.locator('.react-flow__node').evaluateAll((els) =>
    Object.fromEntries(
      els.map((e) => {
        const m = new DOMMatrixReadOnly(getComputedStyle(e).transform);
        return [(e as HTMLElement).dataset.id ?? '', { x: Math.round(m.e), y: Math.round(m.f) }];
      }),
    ),
  );
}

async function noOverlaps(page: Page, count: number): Promise<void> {
  await expect(page.locator('.react-flow__node:not(.react-flow__node-kgGroup)')).toHaveCount(count);
  await expect(page.getByTestId('canvas')).not.toHaveClass(/kg-lod-low/);
  await expect.poll(async () => overlappingPairs(await itemBoxes(page)), { timeout: 15_000 }).toEqual([]);
}

/** Links run left to right after Arrange: every source's box starts left of its target's. */
async function flowsLeftToRight(page: Page, doc: SavedWorkflow, ids: (id: string) => string = (id) => id): Promise<void> {
  const at = await positions(page);
  for (const [target, n] of Object.entries(doc.nodes))
    for (const [source] of Object.values(n.inputs ?? {}))
      expect(at[ids(source)]!.x, `${source} → ${target}`).toBeLessThan(at[ids(target)]!.x);
}

test('a workflow opened without any positions is arranged from its measured boxes', async ({ page }, info) => {
  const doc = shipped();
  const bare = { ...doc, ui: { nodes: {}, groups: [], notes: [] } };
  await openEditor(page);
  await newCanvas(page);
  await openWorkflowFile(page, writeTemp('no-positions.json', bare));
  await noOverlaps(page, Object.keys(doc.nodes).length);
  await flowsLeftToRight(page, doc);
  await shot(page, info, 'no-positions');
});

test('a workflow with only some positions is arranged as a whole', async ({ page }, info) => {
  const doc = shipped();
  const ids = Object.keys(doc.nodes);
  // Half the nodes keep a position, all of them in one spot; the rest have none.
  const some = Object.fromEntries(ids.slice(0, Math.ceil(ids.length / 2)).map((id) => [id, { x: 0, y: 0 }]));
  await openEditor(page);
  await openWorkflowFile(page, writeTemp('some-positions.json', { ...doc, ui: { nodes: some, groups: [], notes: [] } }));
  await noOverlaps(page, ids.length);
  await flowsLeftToRight(page, doc);
  await shot(page, info, 'some-positions');
});

test('a dropped workflow whose stored positions overlap once drawn is arranged', async ({ page }, info) => {
  const doc = shipped();
  // Every node 40 px below the previous one: each box covers most of the next.
  const stacked = Object.fromEntries(Object.keys(doc.nodes).map((id, i) => [id, { x: 100 + i * 10, y: 100 + i * 40 }]));
  const file = { ...doc, ui: { ...doc.ui, nodes: stacked } };
  await openEditor(page);
  await newCanvas(page);
  await dropOnCanvas(page, { name: 'stacked.json', mime: 'application/json', bytes: Buffer.from(JSON.stringify(file)) });
  await noOverlaps(page, Object.keys(doc.nodes).length + doc.ui.notes.length);
  await flowsLeftToRight(page, doc);
  await shot(page, info, 'overlapping-positions');
});

test('a workflow with good positions keeps them', async ({ page }, info) => {
  const doc = shipped();
  // Far apart, so no measured box can reach another.
  const spread = Object.fromEntries(Object.keys(doc.nodes).map((id, i) => [id, { x: (i % 3) * 900, y: Math.floor(i / 3) * 1200 }]));
  await openEditor(page);
  await newCanvas(page);
  await openWorkflowFile(page, writeTemp('spread.json', { ...doc, ui: { nodes: spread, groups: [], notes: [] } }));
  await noOverlaps(page, Object.keys(doc.nodes).length);
  // Give a late arrange the chance to happen, then check nothing moved.
  await page.waitForTimeout(500);
  const at = await positions(page);
  for (const [id, p] of Object.entries(spread)) expect(at[id], id).toEqual(p);
  await shot(page, info, 'good-positions');
});

test('a big graph (99 nodes) all in one spot is arranged off the page thread', async ({ page }, info) => {
  test.setTimeout(120_000);
  const chain = shipped('resize-image.json');
  // 33 copies of Load Image → Resize Image → Save Image, every node at the same place.
  const nodes: SavedWorkflow['nodes'] = {};
  for (let k = 0; k < 33; k++) {
    for (const [id, n] of Object.entries(chain.nodes)) {
      const inputs = Object.fromEntries(
        Object.entries(n.inputs ?? {}).map(([name, [src, out]]) => [name, [`${src}${k}`, out] as [string, string]]),
      );
      nodes[`${id}${k}`] = { ...n, inputs };
    }
  }
  const ui = Object.fromEntries(Object.keys(nodes).map((id) => [id, { x: 200, y: 200 }]));
  const doc = { ...chain, nodes, ui: { nodes: ui, groups: [], notes: [] } };
  await openEditor(page);
  await newCanvas(page);
  await openWorkflowFile(page, writeTemp('big-stacked.json', doc));
  await noOverlaps(page, Object.keys(nodes).length);
  await flowsLeftToRight(page, doc as SavedWorkflow);
  // The view was fitted to the arranged graph: too tall for the window, it shows its start at the top.
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await expect.poll(async () => Math.min(...(await itemBoxes(page)).map((b) => b.y)) - pane.y).toBeLessThan(pane.height * 0.2);
  // The layout came from the worker (its script was loaded), not from the page's thread.
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(scripts.some((u) => /arrange-worker[^/]*\.js$/.test(u))).toBe(true);
  await shot(page, info, 'big-graph');
});

test('a workflow pasted as text without positions is arranged beside the graph already there', async ({ page, context }, info) => {
  const doc = shipped('resize-image.json');
  const base = shipped();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page);
  const before = Object.keys(base.nodes).length + base.ui.notes.length;
  await noOverlaps(page, before);
  const text = JSON.stringify({ format: doc.format, version: doc.version, nodes: doc.nodes });
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  // The canvas has the focus (not a field), as after a click on its empty part.
  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('Control+v');
  const added = Object.keys(doc.nodes).length;
  await noOverlaps(page, before + added);
  // The pasted nodes are selected, and wired as in the text.
  const pasted = await page.locator('.react-flow__node.selected').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!));
  expect(pasted).toHaveLength(added);
  const types = await Promise.all(pasted.map((id) => flowNode(page, id).locator('.kg-node').getAttribute('data-node-type')));
  expect(types.sort()).toEqual(
    Object.values(doc.nodes)
      .map((n) => n.type)
      .sort(),
  );
  await expect(page.locator('.react-flow__edge')).toHaveCount(
    Object.values(base.nodes).reduce((k, n) => k + Object.keys(n.inputs ?? {}).length, 0) +
      Object.values(doc.nodes).reduce((k, n) => k + Object.keys(n.inputs ?? {}).length, 0),
  );
  await shot(page, info, 'pasted-text');

  // One undo step takes the paste away again.
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node:not(.react-flow__node-kgGroup)')).toHaveCount(before);
});

for (const file of WORKFLOWS) {
  test(`Arrange on ${file}: no two boxes overlap, links run left to right`, async ({ page }, info) => {
    const doc = shipped(file);
    await openEditor(page);
    await openWorkflowFile(page, path.resolve('workflows', file));
    const count = Object.keys(doc.nodes).length + doc.ui.notes.length;
    await noOverlaps(page, count);
    await page.getByRole('button', { name: 'Arrange', exact: true }).click();
    await noOverlaps(page, count);
    await flowsLeftToRight(page, doc);
    await shot(page, info, 'arranged');
  });
}
