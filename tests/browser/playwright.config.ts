import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

/**
 * Browser tests: the real editor (built with vite) served by the real runtime on a free port with a fresh data
 * folder, driven in Debian's Chromium (never a downloaded browser). The values go through the environment so
 * the runner and its workers agree on them.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.env.KG_BROWSER_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
process.env.KG_BROWSER_DATA ??= mkdtempSync(path.join(os.tmpdir(), 'kg-browser-'));
const port = Number(process.env.KG_BROWSER_PORT);
const data = process.env.KG_BROWSER_DATA;
const serve = `node apps/runtime/bin/kinegraph.mjs serve --port ${port} --data ${data}`;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: path.join(root, 'test-results/browser'),
  // One runtime, one queue: tests run one after another (and the machine has two cores).
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { outputFolder: path.join(root, 'playwright-report'), open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1600, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    launchOptions: { executablePath: process.env.KG_CHROMIUM ?? '/usr/bin/chromium', args: ['--autoplay-policy=no-user-gesture-required'] },
  },
  webServer: {
    // Build the editor first so the runtime serves this checkout's editor, not an old build.
    command: `npx vite build apps/editor --logLevel warn && ${serve}`,
    cwd: root,
    url: `http://127.0.0.1:${port}/api/system`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
