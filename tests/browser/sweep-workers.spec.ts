import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { Child, findRedisServer, repoRoot, startRedis, startWorker } from '../workers/harness.js';
import { flowNode, setNumber, shot } from './helpers.js';

/**
 * The editor on a server whose queue is in a real Redis, with two `kinegraph worker` processes: a 2-value sweep
 * runs on both at once, and the queue panel shows both runs as running (the second one from `alsoRunning`).
 */
const redisBin = findRedisServer();

test.describe('the queue panel with two workers', () => {
  test.skip(!redisBin, 'redis-server is not on PATH (apt-get install redis-server; .ci/run installs it)');
  test.use({ viewport: { width: 1366, height: 768 } });

  let dataDir: string;
  let redis: { url: string; child: Child };
  let server: { url: string; child: Child };
  const workers: Child[] = [];

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dataDir = await mkdtemp(path.join(tmpdir(), 'kg-sweep-workers-'));
    redis = await startRedis(redisBin!);
    // The server with the editor this run of the browser tests built (the harness's own one serves the API only).
    const proc = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'apps/runtime/bin/kinegraph.mjs'),
        'serve',
        '--port',
        '0',
        '--data',
        dataDir,
        '--queue',
        redis.url,
        '--device',
        'cpu',
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const child = new Child('server', proc);
    server = { url: (await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!, child };
    workers.push(...(await Promise.all([startWorker('w1', dataDir, redis.url), startWorker('w2', dataDir, redis.url)])));
  });

  test.afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await server?.child.stop();
    await redis?.child.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('a 2-value sweep runs on both workers at once: two running rows, each stopped from its own row', async ({ page }, info) => {
    test.setTimeout(180_000);
    await page.goto(server.url + '/');
    await expect(page.getByTestId('library')).toBeVisible();
    await expect(page.getByTestId('connection')).toHaveText(/connected/);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    // Small frames, but a long clip: both runs are still going when the panel is looked at.
    await flowNode(page, 'encode').locator('select[data-param="resolution"]').selectOption('custom');
    // 7200 frames at 512x288: on an idle machine 256x144 at 24 fps ended in 8 s, before the panel was looked at.
    await setNumber(page, 'encode', 'width', 512);
    await setNumber(page, 'encode', 'height', 288);
    await setNumber(page, 'denoise', 'duration', 120);
    await setNumber(page, 'denoise', 'fps', 60);
    const seedRow = flowNode(page, 'denoise').locator('[data-param-row="seed"]');
    await seedRow.getByRole('button', { name: 'Sweep: Seed' }).click();
    await seedRow.getByLabel('Sweep values of seed').fill('1, 2');
    await expect(page.getByTestId('run')).toHaveText('▶ Run 2');
    await page.getByTestId('run').click();

    const queue = page.getByTestId('queue');
    await expect(queue.locator('.kg-run-row.running')).toHaveCount(2, { timeout: 90_000 });
    await expect(page.getByRole('button', { name: /^Queue \(2\)$/ })).toBeVisible();
    await shot(page, info, 'two-running');

    // The run a worker runs besides the first can be stopped from its own row: the server passes it on to its worker.
    const second = queue.locator('.kg-run-row.running').nth(1);
    const secondId = await second.getAttribute('data-run-id');
    expect(secondId).toBeTruthy();
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/api/queue/${secondId}`)),
      second.getByRole('button', { name: 'Interrupt' }).click(),
    ]);
    expect(await answer.json()).toEqual({ runId: secondId, result: 'interrupting' });
    // Stopping… until the worker's interrupt lands; the row may already be gone when it lands at once.
    const secondRow = queue.locator(`.kg-run-row.running[data-run-id="${secondId}"]`);
    await expect
      .poll(async () => (await secondRow.count()) === 0 || (await secondRow.getByRole('button', { name: 'Stopping…' }).isVisible()))
      .toBe(true);
    await shot(page, info, 'second-stopping');
    await queue.locator('.kg-run-row.running').first().getByRole('button', { name: 'Interrupt' }).click();
    // Both end (an interrupt lands at the node's next progress call) and the sweep says so.
    await expect(queue.locator('.kg-run-row.running')).toHaveCount(0, { timeout: 120_000 });
    await expect(page.getByTestId('sweep-gallery')).toContainText('all ended', { timeout: 30_000 });
    await expect(page.getByTestId('sweep-gallery')).toContainText('2 interrupted');
    await shot(page, info, 'both-ended');
  });
});
