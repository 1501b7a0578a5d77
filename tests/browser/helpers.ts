import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export interface SavedWorkflow {
  format: string;
  version: number;
  nodes: Record<string, { type: string; params: Record<string, unknown>; inputs: Record<string, [string, string]> }>;
  ui: { nodes: Record<string, { x: number; y: number; title?: string }>; groups: unknown[]; notes: unknown[] };
}

/** Keeps a screenshot of the current step among the test's artifacts. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const step = (steps.get(info.testId) ?? 0) + 1;
  steps.set(info.testId, step);
  await page.screenshot({ path: info.outputPath(`${String(step).padStart(2, '0')}-${name}.png`) });
}
const steps = new Map<string, number>();

/** Opens the editor and waits until its node library has loaded. */
export async function openEditor(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('library')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText(/connected/);
}

export async function newCanvas(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

export function flowNode(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

export function handle(page: Page, nodeId: string, handleId: string, kind: 'source' | 'target'): Locator {
  return page.locator(`.react-flow__node[data-id="${nodeId}"] .react-flow__handle.${kind}[data-handleid="${handleId}"]`);
}

/** Opens the search with Ctrl+K at a canvas point, types, and inserts the wanted type (Enter when it is the top hit). */
export async function addNodeViaSearch(page: Page, query: string, type: string, at: { x: number; y: number }): Promise<void> {
  await page.mouse.move(at.x, at.y);
  await page.keyboard.press('Control+k');
  const search = page.getByTestId('node-search');
  await expect(search).toBeVisible();
  await page.keyboard.type(query);
  const first = search.locator('[role="option"]').first();
  await expect(first).toBeVisible();
  if ((await first.getAttribute('data-type')) === type) await page.keyboard.press('Enter');
  else await search.locator(`[role="option"][data-type="${type}"]`).click();
  await expect(search).toBeHidden();
}

/** Drags a link from an output handle to an input handle with the mouse. */
export async function dragLink(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

/** Clicks Save and reads the downloaded workflow file. */
export async function saveWorkflow(page: Page, info: TestInfo): Promise<{ file: string; doc: SavedWorkflow }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save', exact: true }).click()]);
  const file = info.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  return { file, doc: JSON.parse(await readFile(file, 'utf8')) as SavedWorkflow };
}

/** Opens a file through the toolbar's Open button and the browser's file chooser. */
export async function openWorkflowFile(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open', exact: true }).click()]);
  await chooser.setFiles(file);
}

/** Drops a file on the canvas the way a file manager does (a real DragEvent with a DataTransfer). */
export async function dropOnCanvas(
  page: Page,
  file: { name: string; mime: string; bytes?: Buffer; url?: string },
  at = { x: 400, y: 300 },
): Promise<void> {
  await page.evaluate(
    async ({ name, mime, b64, url, at }) => {
      const bytes = url ? new Uint8Array(await (await fetch(url)).arrayBuffer()) : Uint8Array.from(atob(b64!), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: mime }));
      const pane = document.querySelector('.react-flow__pane')!;
      const r = pane.getBoundingClientRect();
      const init = { bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + at.x, clientY: r.top + at.y };
      for (const type of ['dragenter', 'dragover', 'drop']) pane.dispatchEvent(new DragEvent(type, init));
    },
    { name: file.name, mime: file.mime, b64: file.bytes?.toString('base64'), url: file.url, at },
  );
}

/** A real photograph when the test photos are there (CI fetches them), else a generated picture. */
export async function testPhoto(): Promise<string> {
  const dir = path.resolve('.testdata/photos');
  if (existsSync(dir)) {
    const jpg = readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()[0];
    if (jpg) return path.join(dir, jpg);
  }
  const sharp = (await import('sharp')).default;
  const out = path.join(os.tmpdir(), 'kg-browser-photo.jpg');
  const w = 1280;
  const h = 853;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      raw[i] = (x * 255) / w;
      raw[i + 1] = (y * 255) / h;
      raw[i + 2] = ((x ^ y) & 0xff) / 2 + 60;
    }
  }
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
  return out;
}

/** Statuses of every workflow node on the canvas, by id. */
export async function nodeStatuses(page: Page): Promise<Record<string, string>> {
  return page
    .locator('.kg-node')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.nodeId!, (e as HTMLElement).dataset.status!])));
}

export interface ItemBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The on-screen boxes of every node and note on the canvas (groups hold nodes, so they are left out). */
export async function itemBoxes(page: Page): Promise<ItemBox[]> {
  return page.locator('.react-flow__node:not(.react-flow__node-kgGroup)').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: (e as HTMLElement).dataset.id ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

/** Pairs of boxes that share more than a sliver of area (sub-pixel rounding is not an overlap). */
export function overlappingPairs(boxes: ItemBox[], tolerance = 0.5): string[] {
  const out: string[] = [];
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > tolerance && h > tolerance) out.push(`${a.id} × ${b.id} (${Math.round(w)}×${Math.round(h)} px)`);
    }
  }
  return out;
}

/** Types a value into a node's number field (click the value, type, Enter). */
export async function setNumber(page: Page, nodeId: string, param: string, value: number): Promise<void> {
  const field = flowNode(page, nodeId).locator(`[data-param="${param}"]`);
  await field.locator('.kg-number-value').click();
  await field.locator('input').fill(String(value));
  await field.locator('input').press('Enter');
  await expect(field).toContainText(String(value));
}

/** Waits until every image and video a node shows after a run has loaded (so the node has its final size). */
export async function outputsLoaded(page: Page): Promise<void> {
  const media = page.locator('.kg-output-media');
  await expect(media.first()).toBeVisible({ timeout: 90_000 });
  await expect
    .poll(() =>
      media.evaluateAll((els) =>
        els.every((e) =>
          e instanceof HTMLVideoElement ? e.readyState >= 2 : e instanceof HTMLImageElement ? e.complete && e.naturalWidth > 0 : true,
        ),
      ),
    )
    .toBe(true);
}
