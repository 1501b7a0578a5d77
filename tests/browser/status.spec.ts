import { expect, test } from '@playwright/test';
import { openEditor, shot } from './helpers.js';

test('the status bar shows device, providers, memory and cache, and the socket reconnects by itself', async ({ page }, info) => {
  // Every socket the page opens goes to the real server; the first one is dropped by the "network" after a while.
  let connections = 0;
  let dropFirst: (() => void) | undefined;
  await page.routeWebSocket('**/ws', (ws) => {
    connections++;
    const server = ws.connectToServer();
    if (connections === 1) dropFirst = () => void (ws.close({ code: 1012, reason: 'restarting' }), server.close());
  });
  await openEditor(page);
  const bar = page.getByTestId('status-bar');
  await expect(bar).toContainText(/device (cpu|webgpu)/);
  await expect(bar).toContainText('providers');
  await expect(bar).toContainText(/memory \d/);
  await expect(bar).toContainText('cache RAM');
  await shot(page, info, 'status-bar');

  dropFirst!();
  await expect.poll(() => connections, { timeout: 15_000 }).toBe(2);
  await expect(page.getByTestId('connection')).toHaveText(/connected/);
  await expect(page.getByTestId('connection')).toHaveClass(/open/);
  await shot(page, info, 'reconnected');
});
