import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dragLink, flowNode, handle, openEditor, openWorkflowFile, shot, type SavedWorkflow } from './helpers.js';

/**
 * Errors: a refused run lists its problems; clicking one brings its node and field into view at a readable zoom;
 * fixing what an error is about clears it at once (no second run needed). The node menu closes on an outside press.
 */
test.use({ viewport: { width: 1366, height: 768 } });

function zoomOf(page: Page): Promise<number> {
  return page.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
}

async function inside(el: Locator, outer: Locator): Promise<boolean> {
  const a = (await el.boundingBox())!;
  const b = (await outer.boundingBox())!;
  return a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
}

test('a problem leads to its node and field; fixing it clears the error at once; the node menu closes outside', async ({ page }, info) => {
  const doc = JSON.parse(readFileSync(path.resolve('workflows/photo-to-video.json'), 'utf8')) as SavedWorkflow;
  delete doc.nodes.encode.inputs.image;
  const file = info.outputPath('unplugged.json');
  writeFileSync(file, JSON.stringify(doc));
  await openEditor(page);
  await openWorkflowFile(page, file);
  await page.getByTestId('run').click();
  const problems = page.getByTestId('problems');
  await expect(problems.getByRole('listitem')).toHaveCount(1);
  await expect(problems).toContainText('Encode Image · image');
  await expect(flowNode(page, 'encode').locator('.kg-node')).toHaveAttribute('data-status', 'failed');

  // Far out (sketches) and panned: a click on the problem brings the node and its field back, readable.
  const zoomOut = page.locator('.react-flow__controls-zoomout');
  for (let i = 0; i < 8; i++) await zoomOut.click();
  await expect(page.getByTestId('canvas')).toHaveClass(/kg-lod-low/);
  await shot(page, info, 'far-out-with-problem');
  await problems.getByRole('listitem').first().click();
  const field = flowNode(page, 'encode').locator('[data-input="image"]');
  await expect(field).toBeVisible();
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(0.92);
  await expect.poll(() => inside(field, page.getByTestId('canvas'))).toBe(true);
  await expect(flowNode(page, 'encode')).toHaveClass(/selected/);
  await shot(page, info, 'problem-clicked');

  // Linking the input fixes it: the error goes now, not at the next run.
  await dragLink(page, handle(page, 'image', 'image', 'source'), handle(page, 'encode', 'image', 'target'));
  await expect(problems).toHaveCount(0);
  await expect(flowNode(page, 'encode').locator('.kg-field-error')).toHaveCount(0);
  await expect(flowNode(page, 'encode').locator('.kg-node')).not.toHaveAttribute('data-status', 'failed');
  await shot(page, info, 'fixed');

  // The node menu: open, then a press on the canvas closes it; Escape does too.
  const menuButton = flowNode(page, 'encode').getByRole('button', { name: 'Node menu' });
  await menuButton.click();
  await expect(page.getByRole('menu')).toBeVisible();
  await shot(page, info, 'menu-open');
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.click(canvas.x + 20, canvas.y + canvas.height - 120);
  await expect(page.getByRole('menu')).toHaveCount(0);
  await menuButton.click();
  await expect(page.getByRole('menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
});
