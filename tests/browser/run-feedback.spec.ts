import { expect, test } from '@playwright/test';
import { openEditor, setNumber, shot } from './helpers.js';

/**
 * Run feedback at 1366×768: overall percent and time left beside Run, the percent in the tab's title, the running
 * node's own percent, and history rows that tell runs apart (thumbnail, seed, prompt, full date and time).
 */
test.use({ viewport: { width: 1366, height: 768 } });

test('a run shows its overall and per-node progress, the title follows, history rows tell runs apart', async ({ page }, info) => {
  test.setTimeout(150_000);
  await openEditor(page);
  await setNumber(page, 'denoise', 'duration', 2);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/cache/free') && r.ok()),
    page.getByRole('button', { name: 'free cache' }).click(),
  ]);
  const [submitted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST'),
    page.getByTestId('run').click(),
  ]);
  const runId = ((await submitted.json()) as { runs: { runId: string }[] }).runs[0]!.runId;

  // While it runs: a percent and node count beside Run, the same percent in the title, a percent on the running node.
  const overall = page.getByTestId('run-progress');
  await expect(overall).toContainText(/^\d+%/, { timeout: 60_000 });
  await expect(overall.locator('.kg-run-progress-text')).toHaveAttribute('title', /^\d+ of \d+ nodes done$/);
  await expect.poll(() => page.title(), { timeout: 60_000 }).toMatch(/^\d+% · /);
  await expect(page.getByTestId('node-progress').first()).toHaveText(/^\d+%$/, { timeout: 60_000 });
  await expect(overall).toContainText(/^\d+% · \d+ s left$/, { timeout: 60_000 });
  await shot(page, info, 'running');

  await expect(page.getByTestId('last-run')).toHaveAttribute('data-run-id', runId, { timeout: 120_000 });
  await expect(page.getByTestId('last-run')).toContainText('succeeded');
  await expect(overall).toHaveCount(0);
  await expect.poll(() => page.title()).not.toMatch(/%/);
  // The negative prompt's summary reads as what to avoid; the positive one's as what to do.
  await expect(page.locator('.react-flow__node[data-id="negative"] .kg-output-text')).toContainText('steers away from');
  await expect(page.locator('.react-flow__node[data-id="negative"] .kg-output-text')).toContainText('Avoid camera:');
  await expect(page.locator('.react-flow__node[data-id="prompt"] .kg-output-text')).not.toContainText('Avoid');
  // Pan the canvas up (drag on empty space) so the negative prompt is in the screenshot.
  const neg = (await page.locator('.react-flow__node[data-id="negative"]').boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(canvas.x + 190, canvas.y + canvas.height - 80);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 190, canvas.y + canvas.height - 80 - (neg.y - canvas.y - 60), { steps: 8 });
  await page.mouse.up();
  await shot(page, info, 'negative-summary');

  // History: the row has the output's thumbnail, the seed, the prompt and the full date.
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const row = page.locator(`.kg-run-row[data-run-id="${runId}"]`);
  await expect(row.getByTestId('run-thumb')).toBeVisible();
  await expect(row.locator('.kg-run-seed')).toHaveText(/^seed \d+$/);
  await expect(row.locator('.kg-run-prompt')).toContainText('waves');
  await expect(row.locator('.kg-run-when')).toContainText(String(new Date().getFullYear()));
  await shot(page, info, 'history');
});
