import path from 'node:path';
import sharp from 'sharp';
import { expect, test } from '@playwright/test';
import { flowNode, openEditor, openWorkflowFile, shot } from './helpers.js';

/**
 * Point 8: TIFF and AVIF, offered by Load Image, are taken by the upload; a photo dropped on a node's title replaces
 * its image; a batch count goes back to 1 once queued; the status bar names the provider the server picked.
 */
test.use({ viewport: { width: 1366, height: 768 } });

const picture = (fmt: 'tiff' | 'avif' | 'jpeg') =>
  sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 200, g: 120, b: 60 } } })
    [fmt]()
    .toBuffer();

test('TIFF and AVIF upload; a drop on a node replaces its image; batch resets; the provider is named', async ({ page }, info) => {
  await openEditor(page);
  await openWorkflowFile(page, path.resolve('workflows/resize-image.json'));
  const loader = flowNode(page, 'load');
  const file = loader.locator('input[type="file"]');
  expect(await file.getAttribute('accept')).toMatch(/image\/tiff.*image\/avif|image\/avif.*image\/tiff/);
  for (const [fmt, ext, mimeType] of [
    ['tiff', 'tif', 'image/tiff'],
    ['avif', 'avif', 'image/avif'],
  ] as const) {
    await file.setInputFiles({ name: `photo.${ext}`, mimeType, buffer: await picture(fmt) });
    await expect(loader.locator('.kg-upload-name')).toContainText(new RegExp(`\\.${ext}$`));
  }
  await expect(page.locator('.kg-toast.error')).toHaveCount(0);
  await shot(page, info, 'avif-uploaded');

  // A JPEG dropped on the loader's title: the same node takes it (no new node on top).
  const jpeg = (await picture('jpeg')).toString('base64');
  await loader.locator('.kg-node-title').evaluate((title, b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'dropped.jpg', { type: 'image/jpeg' }));
    const r = title.getBoundingClientRect();
    const init = { bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + 10, clientY: r.top + 5 };
    for (const type of ['dragenter', 'dragover', 'drop']) title.dispatchEvent(new DragEvent(type, init));
  }, jpeg);
  await expect(loader.locator('.kg-upload-name')).toContainText(/^dropped-.*\.jpg$/);
  await expect(page.locator('.kg-node')).toHaveCount(3);
  await shot(page, info, 'dropped-on-title');

  // A batch of 2 is queued once; then the count is 1 again.
  const batch = page.getByLabel('Batch count');
  await batch.fill('2');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST'),
    page.getByTestId('run').click(),
  ]);
  expect(((await res.json()) as { runs: unknown[] }).runs).toHaveLength(2);
  await expect(batch).toHaveValue('1');

  // The status bar says what the server picked, not a promise about later.
  const system = (await (await page.request.get('/api/system')).json()) as { device: { active: string } };
  await expect(page.getByTestId('status-bar')).toContainText(`device ${system.device.active}`);
  expect(system.device.active).not.toMatch(/decided at the first model load/);
  await shot(page, info, 'status-bar');
});
