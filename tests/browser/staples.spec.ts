import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { flowNode, openEditor, openWorkflowFile, shot, type SavedWorkflow } from './helpers.js';

/**
 * ComfyUI staples: bypass (Ctrl+B) and mute (Ctrl+M) change what the engine runs, Ctrl+A selects nodes (not the
 * page's text), right-click menus on nodes, links and the canvas, the shortcut sheet (?), the templates browser, and
 * queue to front (Ctrl+Shift+Enter).
 */
test.use({ viewport: { width: 1366, height: 768 } });

/** resize-image with a second Save Image straight from the loader: two branches, so a mute leaves one to run. */
function twoBranches(file: string): string {
  const doc = JSON.parse(readFileSync(path.resolve('workflows/resize-image.json'), 'utf8')) as SavedWorkflow;
  doc.nodes.save2 = { type: 'SaveImage', params: { filename_prefix: 'direct' }, inputs: { image: ['load', 'image'] } };
  doc.ui.nodes.save2 = { x: 740, y: 520 };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** Runs with the Run button and answers which nodes the run record says ran (or were cached). */
async function ranNodes(page: Page): Promise<string[]> {
  const [submitted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST'),
    page.getByTestId('run').click(),
  ]);
  const body = (await submitted.json()) as { runs: { runId: string }[] };
  const runId = body.runs[0]!.runId;
  await expect(page.getByTestId('last-run')).toHaveAttribute('data-run-id', runId, { timeout: 60_000 });
  await expect(page.getByTestId('last-run')).toContainText('succeeded');
  const rec = (await (await page.request.get(`/api/history/${runId}`)).json()) as { nodes: Record<string, unknown> };
  return Object.keys(rec.nodes).sort();
}

/** Waits until the view stops moving (a freshly opened graph is fitted again once its nodes are measured). */
async function viewSettled(page: Page): Promise<void> {
  let last = '';
  await expect
    .poll(async () => {
      const t = await page.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
      const same = t === last;
      last = t;
      return same;
    })
    .toBe(true);
}

/** Right-clicks the middle of a link (a straight link's box has no height, so a locator click would wait for it to show). */
async function rightClickLink(page: Page, id: string): Promise<void> {
  const b = (await page.locator(`.react-flow__edge[data-id="${id}"] .react-flow__edge-interaction`).boundingBox())!;
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2, { button: 'right' });
}

async function selectOnly(page: Page, id: string): Promise<void> {
  await flowNode(page, id).locator('.kg-node-title').click();
  await expect(flowNode(page, id)).toHaveClass(/selected/);
}

test('bypass and mute change what runs', async ({ page }, info) => {
  await openEditor(page);
  await openWorkflowFile(page, twoBranches(info.outputPath('two-branches.json')));
  await expect(page.locator('.kg-node')).toHaveCount(4);
  expect(await ranNodes(page)).toEqual(['load', 'resize', 'save', 'save2']);

  // Bypassed, Resize passes the loaded image straight to Save: it does not run, the rest does.
  await selectOnly(page, 'resize');
  await page.keyboard.press('Control+b');
  await expect(flowNode(page, 'resize').locator('.kg-node')).toHaveAttribute('data-mode', 'bypass');
  await shot(page, info, 'bypassed');
  expect(await ranNodes(page)).toEqual(['load', 'save', 'save2']);

  // Muted, Resize and the Save that needs it do not run; the other branch does.
  await page.keyboard.press('Control+m');
  await expect(flowNode(page, 'resize').locator('.kg-node')).toHaveAttribute('data-mode', 'mute');
  await shot(page, info, 'muted');
  expect(await ranNodes(page)).toEqual(['load', 'save2']);

  // Ctrl+M again: back to normal, everything runs again.
  await page.keyboard.press('Control+m');
  await expect(flowNode(page, 'resize').locator('.kg-node')).toHaveAttribute('data-mode', 'normal');
  expect(await ranNodes(page)).toEqual(['load', 'resize', 'save', 'save2']);
});

test('Ctrl+A, right-click menus, shortcut sheet, templates, queue to front', async ({ page }, info) => {
  await openEditor(page);
  await openWorkflowFile(page, path.resolve('workflows/resize-image.json'));
  await expect(page.locator('.kg-node')).toHaveCount(3);

  // Ctrl+A selects every node and note, and no page text.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+a');
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(4);
  expect(await page.evaluate(() => getSelection()?.toString() ?? '')).toBe('');
  await shot(page, info, 'select-all');

  // Right-click a node: its menu bypasses it.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await flowNode(page, 'resize').locator('.kg-node-title').click({ button: 'right' });
  const nodeMenu = page.getByRole('menu', { name: 'Node menu' });
  await expect(nodeMenu).toBeVisible();
  await shot(page, info, 'node-menu');
  await nodeMenu.getByRole('menuitem', { name: /Bypass/ }).click();
  await expect(nodeMenu).toHaveCount(0);
  await expect(flowNode(page, 'resize').locator('.kg-node')).toHaveAttribute('data-mode', 'bypass');

  // Right-click a link: delete it.
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await viewSettled(page);
  await rightClickLink(page, 'resize:image');
  const linkMenu = page.getByRole('menu', { name: 'Link menu' });
  await expect(linkMenu).toBeVisible();
  await linkMenu.getByRole('menuitem', { name: 'Delete link' }).click();
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  // Right-click the canvas: its menu, closed by a press elsewhere.
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.click(canvas.x + 60, canvas.y + canvas.height - 60, { button: 'right' });
  const paneMenu = page.getByRole('menu', { name: 'Canvas menu' });
  await expect(paneMenu.getByRole('menuitem', { name: 'Add node…' })).toBeVisible();
  await shot(page, info, 'canvas-menu');
  await page.mouse.click(canvas.x + 300, canvas.y + 30);
  await expect(paneMenu).toHaveCount(0);

  // ? opens the shortcut sheet.
  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcut-sheet');
  await expect(sheet).toContainText('Ctrl+B');
  await expect(sheet).toContainText('Ctrl+Shift+Enter');
  await shot(page, info, 'shortcut-sheet');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);

  // The templates browser lists what GET /api/workflows offers and opens one.
  const listed = ((await (await page.request.get('/api/workflows')).json()) as { workflows: { name: string }[] }).workflows;
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  const templates = page.getByTestId('templates');
  await expect(templates.locator('.kg-template')).toHaveCount(listed.length);
  await shot(page, info, 'templates');
  await templates.locator('.kg-template[data-name="resize-image"]').click();
  await expect(templates).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await expect(flowNode(page, 'resize').locator('.kg-node')).toHaveAttribute('data-mode', 'normal');

  // Queue to front: with the queue paused, Ctrl+Shift+Enter puts the run ahead of those already queued.
  await page.request.post('/api/queue/pause');
  const submit = async (keys: string) => {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST'),
      page.keyboard.press(keys),
    ]);
    return ((await res.json()) as { runs: { runId: string }[] }).runs[0]!.runId;
  };
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  const a = await submit('Control+Enter');
  const b = await submit('Control+Enter');
  const front = await submit('Control+Shift+Enter');
  const queue = (await (await page.request.get('/api/queue')).json()) as { pending: { runId: string }[] };
  expect(queue.pending.map((r) => r.runId)).toEqual([front, a, b]);
  await expect(page.getByTestId('queue').locator('.kg-run-row.pending')).toHaveCount(3);
  await shot(page, info, 'queued-to-front');
  for (const id of [front, a, b]) await page.request.delete(`/api/queue/${id}`);
  await page.request.post('/api/queue/resume');
});

test('a reroute bends a link and vanishes at run time', async ({ page }, info) => {
  await openEditor(page);
  await openWorkflowFile(page, path.resolve('workflows/resize-image.json'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await viewSettled(page);
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await rightClickLink(page, 'resize:image');
  await page.getByRole('menu', { name: 'Link menu' }).getByRole('menuitem', { name: 'Add reroute here' }).click();
  const dot = page.locator('.kg-reroute');
  await expect(dot).toHaveCount(1);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await shot(page, info, 'rerouted');
  // The engine sees Load Image feeding Resize directly: the reroute is not a node that runs.
  expect(await ranNodes(page)).toEqual(['load', 'resize', 'save']);
});
