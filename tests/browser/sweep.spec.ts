import { writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { flowNode, openEditor, setNumber, shot, testPhoto } from './helpers.js';

/** The default workflow made small and short (256x144, 8 frames), so a sweep of it runs in seconds. */
async function smallSettings(page: Page): Promise<void> {
  await flowNode(page, 'encode').locator('select[data-param="resolution"]').selectOption('custom');
  await setNumber(page, 'encode', 'width', 256);
  await setNumber(page, 'encode', 'height', 144);
  await setNumber(page, 'denoise', 'frames', 8);
  await setNumber(page, 'denoise', 'fps', 8);
}

interface HistoryItem {
  runId: string;
  status: string;
  title?: string;
}
interface RunRecord {
  status: string;
  variant?: Record<string, unknown>;
  workflow: { nodes: Record<string, { params: Record<string, unknown> }> };
}

async function historyRecords(page: Page, n: number): Promise<RunRecord[]> {
  const items = ((await (await page.request.get(`/api/history?limit=${n}`)).json()) as { items: HistoryItem[] }).items;
  return Promise.all(items.map(async (i) => (await (await page.request.get(`/api/history/${i.runId}`)).json()) as RunRecord));
}

test.describe('sweeps and for-each in the editor', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('a 3-value seed sweep with a contact grid: 3 history rows with their seeds, the grid in the queue panel', async ({ page }, info) => {
    test.setTimeout(240_000);
    await openEditor(page);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await smallSettings(page);

    const seedRow = flowNode(page, 'denoise').locator('[data-param-row="seed"]');
    await seedRow.getByRole('button', { name: 'Sweep: Seed' }).click();
    const values = seedRow.getByLabel('Sweep values of seed');
    await values.fill('7..9');
    await expect(seedRow.locator('.kg-sweep-note')).toHaveText(/3 values: 7 · 8 · 9/);
    await expect(page.getByTestId('run')).toHaveText('▶ Run 3');
    await expect(page.getByTestId('sweep-options')).toContainText('3 variants');
    // A second sweep, on the prompt (one text a line, commas kept): every combination, or zipped.
    const promptRow = flowNode(page, 'prompt').locator('[data-param-row="text"]');
    await promptRow.getByRole('button', { name: 'Sweep: Prompt' }).click();
    await promptRow.getByLabel('Sweep values of text').fill('slow push in, the waves roll in\npan left, clouds drift\n\nstatic shot');
    await expect(promptRow.locator('.kg-sweep-note')).toHaveText(/^3 values: /);
    await expect(page.getByTestId('run')).toHaveText('▶ Run 9');
    await page.getByTestId('sweep-options').getByLabel('zip').check();
    await expect(page.getByTestId('sweep-options')).toContainText('3 variants');
    await shot(page, info, 'two-sweeps-zipped');
    await promptRow.getByRole('button', { name: 'Remove sweep' }).click();
    await page.getByTestId('sweep-options').getByLabel('make a contact grid').check();
    await shot(page, info, 'seed-sweep-set');

    await page.getByTestId('run').click();
    const gallery = page.getByTestId('sweep-gallery');
    await expect(gallery).toBeVisible();
    await shot(page, info, 'seed-sweep-queued');
    // Every run ends, then the grid: a picture and a video playing the three in sync.
    await expect(gallery).toHaveAttribute('data-phase', 'done', { timeout: 200_000 });
    await expect(gallery.locator('img.kg-output-media')).toBeVisible();
    await expect(gallery.locator('video.kg-output-media')).toBeVisible();
    await expect
      .poll(() => gallery.locator('img.kg-output-media').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await shot(page, info, 'seed-sweep-grid');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    // The sweep's rows (the server is shared with the other browser tests: older runs may be listed below).
    const rows = page
      .getByTestId('history')
      .locator('.kg-run-row')
      .filter({ has: page.getByTestId('run-variant').filter({ hasText: /^seed = [789]$/ }) });
    await expect(rows).toHaveCount(3);
    for (const s of [7, 8, 9]) await expect(rows.getByTestId('run-variant').filter({ hasText: `seed = ${s}` })).toHaveCount(1);
    await expect(rows.locator('.kg-run-status.succeeded')).toHaveCount(3);
    await shot(page, info, 'seed-sweep-history');

    const recs = await historyRecords(page, 3);
    expect(recs.map((r) => r.variant?.['denoise.seed']).sort()).toEqual([7, 8, 9]);
    expect(recs.map((r) => r.workflow.nodes.denoise.params.seed).sort()).toEqual([7, 8, 9]);
  });

  test('for each of 2 uploaded photos: 2 runs, one per photo', async ({ page }, info) => {
    test.setTimeout(240_000);
    const sharp = (await import('sharp')).default;
    const first = await testPhoto();
    const second = info.outputPath('mirrored.jpg');
    await writeFile(second, await sharp(first).flop().jpeg({ quality: 85 }).toBuffer());

    await openEditor(page);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await smallSettings(page);
    const row = flowNode(page, 'image').locator('[data-param-row="image"]');
    await row.getByRole('button', { name: 'For each file: Image' }).click();
    // It starts from the photo the node has; run on the two uploads instead.
    await row.getByRole('button', { name: /^Remove assets\// }).click();
    await row.getByTestId('each-upload').setInputFiles([first, second]);
    await expect(row.locator('.kg-each-file')).toHaveCount(2);
    await expect(row.locator('.kg-sweep-note')).toHaveText(/one run for each of 2 files/);
    await expect(page.getByTestId('run')).toHaveText('▶ Run 2');
    await shot(page, info, 'each-set');

    await page.getByTestId('run').click();
    await expect(page.getByTestId('sweep-gallery')).toHaveAttribute('data-phase', 'done', { timeout: 200_000 });
    await page.getByRole('button', { name: 'History', exact: true }).click();
    await expect(page.getByTestId('history').getByTestId('run-variant').filter({ hasText: 'image = ' })).toHaveCount(2);
    await shot(page, info, 'each-history');

    const recs = (await historyRecords(page, 2)).filter((r) => r.variant?.['image.image']);
    expect(recs).toHaveLength(2);
    expect(recs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(new Set(recs.map((r) => r.variant!['image.image'])).size).toBe(2);
  });
});
