import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { flowNode, nodeStatuses, openEditor, openWorkflowFile, setNumber, shot } from './helpers.js';

/**
 * Two browser tabs of one browser (one context: shared localStorage) each keep their own workspace: their own
 * autosave slot, undo history and run state. A reload brings each tab its own graph back; a fresh tab takes over
 * the latest saved one.
 */
test.use({ viewport: { width: 1366, height: 768 } });

const width = (page: Page) => flowNode(page, 'resize').locator('[data-param="width"]');

/** The widths saved in every autosave slot, by slot. */
function savedWidths(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (!key.startsWith('kinegraph.workspace.')) continue;
      const rec = JSON.parse(localStorage.getItem(key)!) as { doc: { nodes: Record<string, { params: { width?: number } }> } };
      const w = rec.doc.nodes.resize?.params.width;
      if (w !== undefined) out[key.slice('kinegraph.workspace.'.length)] = w;
    }
    return out;
  });
}

const sortedValues = (r: Record<string, number>) => Object.values(r).sort((a, b) => a - b);

test('two tabs never overwrite each other: own autosave, own undo, own run state; a reload restores each', async ({ context }, info) => {
  test.setTimeout(120_000);
  const a = await context.newPage();
  await openEditor(a);
  await openWorkflowFile(a, path.resolve('workflows/resize-image.json'));
  await setNumber(a, 'resize', 'width', 640);
  await expect.poll(() => savedWidths(a).then(sortedValues)).toEqual([640]);

  // A second tab starts from the latest work (a copy), in a slot of its own.
  const b = await context.newPage();
  await openEditor(b);
  await expect(width(b)).toContainText('640');
  await setNumber(b, 'resize', 'width', 320);
  await expect.poll(() => savedWidths(a).then(sortedValues)).toEqual([320, 640]);
  await shot(b, info, 'second-tab-edited');

  // Undo in the first tab undoes its own edit only.
  await a.bringToFront();
  await a.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await a.keyboard.press('Control+z');
  await expect(width(a)).toContainText('1080');
  await expect(width(b)).toContainText('320');
  await expect.poll(() => savedWidths(a).then(sortedValues)).toEqual([320, 1080]);
  await shot(a, info, 'first-tab-undone');

  // A run from the first tab shows on its nodes only: the second tab's same-named nodes stay idle.
  await a.getByTestId('run').click();
  await expect(a.getByTestId('last-run')).toContainText('succeeded', { timeout: 60_000 });
  expect((await nodeStatuses(a)).save).toMatch(/executed|cached/);
  expect(await nodeStatuses(b)).toEqual({ load: 'idle', resize: 'idle', save: 'idle' });
  await expect(b.getByTestId('last-run')).toHaveCount(0);
  await shot(a, info, 'first-tab-ran');
  await shot(b, info, 'second-tab-untouched');

  // Each reload brings back that tab's own graph.
  await a.reload();
  await expect(width(a)).toContainText('1080');
  await b.reload();
  await expect(width(b)).toContainText('320');
  await shot(b, info, 'second-tab-reloaded');

  // Both closed, a fresh tab takes over a saved slot (no third copy).
  await a.close();
  await b.close();
  const c = await context.newPage();
  await openEditor(c);
  await expect(width(c)).toContainText(/1080|320/);
  expect(Object.keys(await savedWidths(c))).toHaveLength(2);
});
