import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { setNumber, shot } from './helpers.js';

/**
 * `npm start` as the README has it: `kinegraph serve` with no --data, so everything lives in `.kinegraph/` under
 * the folder it starts in (a dot folder: the file routes must still serve it). The other browser tests use a
 * server with --data elsewhere; this one starts its own, the way npm start does, in a fresh folder so no earlier
 * run's files or cache are there. Port 0: the server picks a free one and says which.
 */
let server: ChildProcess | undefined;
let url = '';
let cwd = '';

test.beforeAll(async () => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'kg-npm-start-'));
  const bin = path.resolve('apps/runtime/bin/kinegraph.mjs');
  server = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /Kinegraph is running at (http:\/\/\S+)/.exec(log);
      if (m) resolve(m[1]);
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.once('exit', (code) => reject(new Error(`kinegraph serve exited with ${code}:\n${log}`)));
  });
});

test.afterAll(async () => {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server!.once('exit', r));
  server.kill('SIGTERM');
  await exited;
});

test.use({ viewport: { width: 1366, height: 768 } });

test('npm start with the default data folder: the Load Image thumbnail shows, and after Run the video plays', async ({ page }, info) => {
  test.setTimeout(150_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await expect(page.getByTestId('library')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText(/connected/);
  expect(existsSync(path.join(cwd, '.kinegraph'))).toBe(true);

  // The default workflow's photo is served from .kinegraph/input.
  const loader = page.locator('.kg-node[data-node-type="LoadImage"]');
  const thumb = loader.locator('img.kg-thumb');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(loader).not.toContainText(/not found/i);
  await shot(page, info, 'thumbnail');

  // A 2-second clip keeps the test quick on two cores.
  const denoise = await page.locator('.kg-node[data-node-type="Denoise"]').getAttribute('data-node-id');
  await setNumber(page, denoise!, 'duration', 2);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('last-run')).toContainText('succeeded', { timeout: 120_000 });

  // The finished video is served from .kinegraph/output and plays.
  const video = page.locator('.kg-node[data-node-type="SaveVideo"] video');
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(1.5);
  const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).not.toBe(t0);
  expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
  const src = (await video.getAttribute('src'))!;
  const res = await page.request.get(new URL(src, url).href);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/video\/mp4/);
  expect(readdirSync(path.join(cwd, '.kinegraph/output')).some((f) => f.endsWith('.mp4'))).toBe(true);
  // The frame on screen is the picture (varied, not a black or blank player).
  const spread = await video.evaluate((v: HTMLVideoElement) => {
    v.pause();
    const c = document.createElement('canvas');
    [c.width, c.height] = [160, 90];
    const g = c.getContext('2d')!;
    g.drawImage(v, 0, 0, c.width, c.height);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    const lum: number[] = [];
    for (let i = 0; i < px.length; i += 4) lum.push(0.2126 * px[i] + 0.7152 * px[i + 1] + 0.0722 * px[i + 2]);
    const mean = lum.reduce((a, b) => a + b, 0) / lum.length;
    return { mean, sd: Math.sqrt(lum.reduce((a, b) => a + (b - mean) ** 2, 0) / lum.length) };
  });
  expect(spread.mean).toBeGreaterThan(20);
  expect(spread.sd).toBeGreaterThan(15);
  await shot(page, info, 'video-playing');
  expect(errors).toEqual([]);
});
