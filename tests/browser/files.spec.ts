import { expect, test } from '@playwright/test';
import {
  addNodeViaSearch,
  dragLink,
  dropOnCanvas,
  flowNode,
  handle,
  newCanvas,
  openEditor,
  openWorkflowFile,
  saveWorkflow,
  shot,
} from './helpers.js';

test('save, reload (the workspace autosaves), and open the saved file again', async ({ page }, info) => {
  await openEditor(page);
  await newCanvas(page);
  await addNodeViaSearch(page, 'load image', 'LoadImage', { x: 420, y: 220 });
  await addNodeViaSearch(page, 'resize', 'ResizeImage', { x: 800, y: 220 });
  await dragLink(page, handle(page, '1', 'image', 'source'), handle(page, '2', 'image', 'target'));
  await flowNode(page, '2').locator('[data-param="mode"]').selectOption({ index: 1 });
  await page.getByTitle(/Workflow name/).dblclick();
  await page.getByRole('textbox', { name: 'Workflow name' }).fill('Sunset clip');
  await page.keyboard.press('Enter');
  const { file, doc } = await saveWorkflow(page, info);
  expect(file.endsWith('Sunset-clip.json')).toBe(true);
  expect((doc as unknown as { meta: { name: string } }).meta.name).toBe('Sunset clip');
  expect(Object.keys(doc.nodes)).toEqual(['1', '2']);
  expect(doc.nodes['2'].inputs.image).toEqual(['1', 'image']);

  await page.waitForTimeout(600); // the autosave is debounced
  await page.reload();
  await expect(page.locator('.kg-node')).toHaveCount(2);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await shot(page, info, 'after-reload');

  await newCanvas(page);
  await openWorkflowFile(page, file);
  await expect(page.locator('.kg-node')).toHaveCount(2);
  const again = await saveWorkflow(page, info);
  expect(again.doc.nodes).toEqual(doc.nodes);
  await shot(page, info, 'opened');
});

test('a missing node type is listed and stays as a placeholder with its params and links', async ({ page }, info) => {
  await openEditor(page);
  const workflow = {
    format: 'kinegraph.workflow',
    version: 1,
    nodes: {
      '1': { type: 'LoadImage', params: { image: '' }, inputs: {} },
      '2': { type: 'FancyUpscaler', params: { factor: 4, sharpen: true }, inputs: { image: ['1', 'image'] } },
      '3': { type: 'SaveImage', params: { filename_prefix: 'up' }, inputs: { image: ['2', 'image'] } },
    },
    ui: { nodes: { '1': { x: 0, y: 0 }, '2': { x: 380, y: 0 }, '3': { x: 760, y: 0 } }, groups: [], notes: [] },
  };
  await dropOnCanvas(page, { name: 'broken.json', mime: 'application/json', bytes: Buffer.from(JSON.stringify(workflow)) });
  await expect(page.getByTestId('missing')).toContainText('FancyUpscaler');
  const placeholder = flowNode(page, '2').locator('.kg-node');
  await expect(placeholder).toHaveClass(/placeholder/);
  await expect(placeholder).toContainText('factor');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await shot(page, info, 'placeholder');

  const { doc } = await saveWorkflow(page, info);
  expect(doc.nodes['2']).toMatchObject({ type: 'FancyUpscaler', params: { factor: 4, sharpen: true }, inputs: { image: ['1', 'image'] } });
  expect(doc.nodes['3'].inputs.image).toEqual(['2', 'image']);

  // Replace the placeholder with an installed type: params and links that fit are kept.
  await page.getByTestId('missing').getByRole('button', { name: '#2' }).click();
  await page.keyboard.type('resize');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('missing')).toBeHidden();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  const replaced = await saveWorkflow(page, info);
  expect(replaced.doc.nodes['2']).toMatchObject({ type: 'ResizeImage', inputs: { image: ['1', 'image'] } });
  await shot(page, info, 'replaced');
});

test('a broken graph shows its errors on the nodes and fields they belong to', async ({ page }, info) => {
  await openEditor(page);
  await newCanvas(page);
  await addNodeViaSearch(page, 'load image', 'LoadImage', { x: 420, y: 220 });
  await addNodeViaSearch(page, 'resize', 'ResizeImage', { x: 800, y: 220 });
  await addNodeViaSearch(page, 'save image', 'SaveImage', { x: 1150, y: 220 });
  await dragLink(page, handle(page, '2', 'image', 'source'), handle(page, '3', 'image', 'target'));
  await page.keyboard.press('Control+Enter');
  const resize = flowNode(page, '2').locator('.kg-node');
  await expect(resize).toHaveAttribute('data-status', 'failed');
  await expect(resize.locator('.kg-field-error[data-field="image"]')).toBeVisible();
  await expect(flowNode(page, '3').locator('.kg-node')).not.toHaveAttribute('data-status', 'failed');
  await expect(page.getByRole('alert').filter({ hasText: 'Not queued' })).toBeVisible();
  await shot(page, info, 'errors-on-nodes');

  // Linked, the graph is valid; running it without a photo fails in LoadImage, shown on that node.
  await dragLink(page, handle(page, '1', 'image', 'source'), handle(page, '2', 'image', 'target'));
  await page.keyboard.press('Control+Enter');
  const load = flowNode(page, '1').locator('.kg-node');
  await expect(load).toHaveAttribute('data-status', 'failed');
  await expect(resize).not.toHaveAttribute('data-status', 'failed');
  await expect(load.locator('.kg-field-error, .kg-node-error').first()).toBeVisible();
  await shot(page, info, 'runtime-error-on-node');
});
