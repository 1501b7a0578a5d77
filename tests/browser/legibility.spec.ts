import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openEditor, openWorkflowFile, shot, type SavedWorkflow } from './helpers.js';

/**
 * Legibility at 1366×768: at the view the editor opens with (and after Fit) every piece of text in every node is at
 * least 11 px on screen, measured from computed font sizes × the canvas zoom (× an SVG's own scale). Zoomed far
 * out, nodes are sketches that still show their titles and error markers at a readable size.
 */
test.use({ viewport: { width: 1366, height: 768 } });

const MIN_PX = 11;

function zoomOf(page: Page): Promise<number> {
  return page.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
}

/** Every visible text run inside the nodes with its on-screen font size, smallest first. */
function textSizes(page: Page): Promise<{ text: string; px: number; node: string }[]> {
  return page.evaluate(() => {
    const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
    const out: { text: string; px: number; node: string }[] = [];
    const walker = document.createTreeWalker(document.querySelector('.react-flow__nodes')!, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const text = t.textContent?.trim();
      const el = t.parentElement;
      if (!text || !el) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
      let px = parseFloat(style.fontSize) * zoom;
      const svg = el.closest('svg');
      if (svg) px *= svg.getBoundingClientRect().width / zoom / svg.viewBox.baseVal.width;
      out.push({ text: text.slice(0, 40), px, node: el.closest<HTMLElement>('.react-flow__node')?.dataset.id ?? '' });
    }
    return out.sort((a, b) => a.px - b.px);
  });
}

/** Waits until the view stops changing (the first fit is refined once nodes are measured). */
async function settledZoom(page: Page): Promise<number> {
  let last = -1;
  await expect
    .poll(async () => {
      const z = await zoomOf(page);
      const same = z === last;
      last = z;
      return same;
    })
    .toBe(true);
  return last;
}

test('the default workflow opens readable at 1366×768; Fit stays readable; far out nodes keep titles and error markers', async ({
  page,
}, info) => {
  await openEditor(page);
  const doc = JSON.parse(readFileSync(path.resolve('workflows/photo-to-video.json'), 'utf8')) as SavedWorkflow;
  await expect(page.locator('.kg-node')).toHaveCount(Object.keys(doc.nodes).length);
  const zoom = await settledZoom(page);
  expect(zoom).toBeGreaterThanOrEqual(0.92);
  const sizes = await textSizes(page);
  // Every node shows its title and widgets; the smallest text on screen is readable.
  expect(new Set(sizes.map((s) => s.node).filter((id) => id in doc.nodes)).size).toBe(Object.keys(doc.nodes).length);
  expect(sizes.length).toBeGreaterThan(50);
  expect(sizes.filter((s) => s.px < MIN_PX)).toEqual([]);
  await shot(page, info, 'initial-view');

  // Fit on a graph wider than the window: the zoom stays readable and the graph's start is in view.
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  expect(await settledZoom(page)).toBeGreaterThanOrEqual(0.92);
  expect((await textSizes(page)).filter((s) => s.px < MIN_PX)).toEqual([]);
  const first = (await page.locator('.kg-node[data-node-id="image"]').boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  expect(first.x).toBeGreaterThanOrEqual(canvas.x);
  expect(first.y).toBeGreaterThanOrEqual(canvas.y);
  await shot(page, info, 'after-fit');
});

test('errors are readable, and zoomed far out a node keeps its title and error marker', async ({ page }, info) => {
  // The default workflow with the photo unplugged from Encode Image: Run refuses it with an error on that node.
  const doc = JSON.parse(readFileSync(path.resolve('workflows/photo-to-video.json'), 'utf8')) as SavedWorkflow;
  delete doc.nodes.encode.inputs.image;
  const file = info.outputPath('unplugged.json');
  writeFileSync(file, JSON.stringify(doc));
  await openEditor(page);
  await openWorkflowFile(page, file);
  await page.getByTestId('run').click();
  const node = page.locator('.kg-node[data-node-id="encode"]');
  await expect(node.locator('.kg-field-error, .kg-node-error').first()).toBeVisible();
  await settledZoom(page);
  expect((await textSizes(page)).filter((s) => s.px < MIN_PX)).toEqual([]);
  await shot(page, info, 'error-readable');

  // Zoom far out with the canvas controls.
  const zoomOut = page.locator('.react-flow__controls-zoomout');
  for (let i = 0; i < 8; i++) await zoomOut.click();
  await expect(page.getByTestId('canvas')).toHaveClass(/kg-lod-low/);
  const zoom = await settledZoom(page);
  expect(zoom).toBeLessThan(0.45);
  // Each sketch shows its title, at least 11 px on screen, and the failing one its error marker.
  const titles = await page.locator('.kg-node-title').evaluateAll((els) =>
    els.map((e) => ({
      text: e.textContent,
      visible: getComputedStyle(e).visibility === 'visible',
      font: parseFloat(getComputedStyle(e).fontSize),
      w: e.getBoundingClientRect().width,
    })),
  );
  expect(titles).toHaveLength(Object.keys(doc.nodes).length);
  for (const t of titles) {
    expect(t.visible).toBe(true);
    expect(t.font * zoom).toBeGreaterThanOrEqual(MIN_PX);
    expect(t.w).toBeGreaterThan(10);
  }
  const mark = node.getByTestId('lod-error');
  await expect(mark).toBeVisible();
  expect((await mark.boundingBox())!.height).toBeGreaterThanOrEqual(MIN_PX);
  await shot(page, info, 'far-out-sketches');
});
