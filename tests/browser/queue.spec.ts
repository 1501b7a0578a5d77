import { expect, test } from '@playwright/test';
import { openEditor, shot, testPhoto } from './helpers.js';

test('a batch queues several runs: the queue panel cancels a pending one and interrupts the running one', async ({ page }, info) => {
  test.setTimeout(120_000);
  await openEditor(page);
  await page.locator('.kg-node[data-node-type="LoadImage"] input[type="file"]').setInputFiles(await testPhoto());
  await expect(page.locator('.kg-node[data-node-type="LoadImage"] img.kg-thumb')).toBeVisible();
  // A new prompt, so nothing comes from the cache of earlier tests and the run lasts long enough to stop.
  const prompt = page.locator('.kg-node[data-node-type="EncodePrompt"] [data-param="text"]').first();
  await prompt.fill(`a kite over the sea, test ${Date.now()}`);
  const denoise = page.locator('.kg-node[data-node-type="Denoise"]');
  await denoise.getByRole('combobox', { name: 'seed after run' }).selectOption('increment');
  // A long clip (a 6-second one renders in about 2 s here), so the first run is still going when it is interrupted.
  const duration = denoise.locator('[data-param="duration"]');
  await duration.locator('.kg-number-value').click();
  await duration.locator('input').fill('60');
  await duration.locator('input').press('Enter');
  await expect(duration).toContainText('60');
  await page.getByRole('spinbutton', { name: 'Batch count' }).fill('2');
  await page.getByTestId('run').click();

  const queue = page.getByTestId('queue');
  await expect(queue.locator('.kg-run-row.running')).toHaveCount(1, { timeout: 30_000 });
  await expect(queue.locator('.kg-run-row.pending')).toHaveCount(1);
  await shot(page, info, 'queue-two-runs');
  await queue.locator('.kg-run-row.pending').getByRole('button', { name: 'Cancel' }).click();
  // The server answers between a busy run's steps: give it time.
  await expect(queue.locator('.kg-run-row.pending')).toHaveCount(0, { timeout: 30_000 });
  await queue.locator('.kg-run-row.running').getByRole('button', { name: 'Interrupt' }).click();
  await expect(page.getByTestId('last-run')).toContainText('interrupted', { timeout: 30_000 });
  await expect(queue.locator('.kg-run-row')).toHaveCount(0);
  await expect(page.locator('.kg-node[data-status="running"]')).toHaveCount(0);
  await shot(page, info, 'interrupted');

  // The batch used seeds 42 and 43; "after run: increment" moved the widget on to 44.
  await expect(denoise.locator('[data-param="seed"]')).toContainText('44');
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByTestId('history').locator('.kg-run-status.cancelled')).not.toHaveCount(0);
  await expect(page.getByTestId('history').locator('.kg-run-status.interrupted')).not.toHaveCount(0);
});
