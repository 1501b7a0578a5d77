import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import {
  addNodeViaSearch,
  dragLink,
  dropOnCanvas,
  flowNode,
  handle,
  newCanvas,
  openEditor,
  saveWorkflow,
  shot,
  testPhoto,
} from './helpers.js';

/** Three nodes from the search box at known points: LoadImage(1) -> ResizeImage(2) -> SaveImage(3). */
async function buildChain(page: import('@playwright/test').Page) {
  await addNodeViaSearch(page, 'load image', 'LoadImage', { x: 420, y: 200 });
  await addNodeViaSearch(page, 'resize', 'ResizeImage', { x: 780, y: 200 });
  await addNodeViaSearch(page, 'save image', 'SaveImage', { x: 1120, y: 200 });
  await dragLink(page, handle(page, '1', 'image', 'source'), handle(page, '2', 'image', 'target'));
  await dragLink(page, handle(page, '2', 'image', 'source'), handle(page, '3', 'image', 'target'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
}

test('search inserts at the cursor; links connect; a mismatched link is refused with its reason', async ({ page }, info) => {
  await openEditor(page);
  await newCanvas(page);
  await addNodeViaSearch(page, 'load imag', 'LoadImage', { x: 420, y: 200 });
  const box = (await flowNode(page, '1').boundingBox())!;
  expect(Math.abs(box.x - 420)).toBeLessThan(4);
  expect(Math.abs(box.y - 200)).toBeLessThan(4);
  // Double-clicking empty canvas opens the same search, inserting where the click was.
  await page.mouse.dblclick(780, 200);
  await expect(page.getByTestId('node-search')).toBeVisible();
  await page.keyboard.type('resize');
  await page.keyboard.press('Enter');
  expect(Math.abs((await flowNode(page, '2').boundingBox())!.x - 780)).toBeLessThan(4);
  await addNodeViaSearch(page, 'save image', 'SaveImage', { x: 1120, y: 200 });
  await dragLink(page, handle(page, '1', 'image', 'source'), handle(page, '2', 'image', 'target'));
  await dragLink(page, handle(page, '2', 'image', 'source'), handle(page, '3', 'image', 'target'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await shot(page, info, 'chain-built');

  // INT into IMAGE: while dragging over the input the line says why it does not fit; on release it is refused.
  const from = (await handle(page, '1', 'width', 'source').boundingBox())!;
  const to = (await handle(page, '3', 'image', 'target').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
  await expect(page.locator('.kg-connection-reason')).toContainText('INT cannot connect to IMAGE');
  await shot(page, info, 'mismatch-while-dragging');
  await page.mouse.up();
  await expect(page.getByRole('alert').filter({ hasText: 'INT cannot connect to IMAGE' })).toBeVisible();
  await shot(page, info, 'mismatch-refused');
  let { doc } = await saveWorkflow(page, info);
  expect(doc.nodes['3'].inputs.image).toEqual(['2', 'image']);

  // An input takes one link: a new one replaces the old.
  await dragLink(page, handle(page, '1', 'image', 'source'), handle(page, '3', 'image', 'target'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  ({ doc } = await saveWorkflow(page, info));
  expect(doc.nodes['3'].inputs.image).toEqual(['1', 'image']);
  expect(doc.nodes['2'].inputs.image).toEqual(['1', 'image']);

  // A link dropped on empty canvas offers the node types that take its type, and wires the chosen one.
  const out = (await handle(page, '2', 'image', 'source').boundingBox())!;
  await page.mouse.move(out.x + 5, out.y + 5);
  await page.mouse.down();
  await page.mouse.move(900, 750, { steps: 10 });
  await page.mouse.up();
  const search = page.getByTestId('node-search');
  await expect(search).toContainText('take IMAGE');
  await expect(search.locator('[data-type="SaveImage"]')).toBeVisible();
  await expect(search.locator('[data-type="Int"]')).toHaveCount(0);
  await shot(page, info, 'compatible-types');
  await search.locator('[data-type="SaveImage"]').click();
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  ({ doc } = await saveWorkflow(page, info));
  expect(doc.nodes['4']).toMatchObject({ type: 'SaveImage', inputs: { image: ['2', 'image'] } });
});

test('undo and redo every edit; a multi-node move, a paste and a delete are one step each', async ({ page }, info) => {
  await openEditor(page);
  await newCanvas(page);
  await buildChain(page);

  // A typed number (one step).
  const width = flowNode(page, '2').locator('[data-param="width"]');
  await width.locator('.kg-number-value').click();
  await width.locator('input').fill('960');
  await width.locator('input').press('Enter');
  await expect(width).toContainText('960');

  // Select two nodes and move them together (one step).
  await flowNode(page, '1').locator('.kg-node-title').click();
  await flowNode(page, '2')
    .locator('.kg-node-title')
    .click({ modifiers: ['Shift'] });
  const before1 = (await flowNode(page, '1').boundingBox())!;
  const before2 = (await flowNode(page, '2').boundingBox())!;
  const title = (await flowNode(page, '2').locator('.kg-node-title').boundingBox())!;
  await page.mouse.move(title.x + 10, title.y + 5);
  await page.mouse.down();
  await page.mouse.move(title.x + 10, title.y + 205, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await flowNode(page, '1').boundingBox())!.y).toBeGreaterThan(before1.y + 150);
  await shot(page, info, 'moved');

  // Paste the two (one step), then delete the pasted selection (one step).
  await page.keyboard.press('Control+c');
  await page.mouse.move(800, 700);
  await page.keyboard.press('Control+v');
  await expect(page.locator('.kg-node')).toHaveCount(5);
  await page.keyboard.press('Delete');
  await expect(page.locator('.kg-node')).toHaveCount(3);

  await page.keyboard.press('Control+z'); // delete undone
  await expect(page.locator('.kg-node')).toHaveCount(5);
  await page.keyboard.press('Control+z'); // paste undone
  await expect(page.locator('.kg-node')).toHaveCount(3);
  await page.keyboard.press('Control+z'); // the two-node move undone at once
  await expect.poll(async () => (await flowNode(page, '1').boundingBox())!.y).toBeCloseTo(before1.y, 0);
  expect((await flowNode(page, '2').boundingBox())!.y).toBeCloseTo(before2.y, 0);
  await page.keyboard.press('Control+z'); // the typed width
  await expect(width).toContainText('1280');
  await shot(page, info, 'undone');

  await page.keyboard.press('Control+Shift+z');
  await expect(width).toContainText('960');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(async () => (await flowNode(page, '1').boundingBox())!.y).toBeGreaterThan(before1.y + 150);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.kg-node')).toHaveCount(5);
  await shot(page, info, 'redone');
});

test('a widget becomes an input socket and back; nodes collapse, rename and take a colour', async ({ page }, info) => {
  await openEditor(page);
  await newCanvas(page);
  await addNodeViaSearch(page, 'resize', 'ResizeImage', { x: 700, y: 200 });
  await addNodeViaSearch(page, 'integer', 'Int', { x: 300, y: 300 });
  const node = flowNode(page, '1');
  // Dragging a number sideways changes it by its step (one undo step when released).
  const height = node.locator('[data-param="height"]');
  const start = Number(await height.locator('.kg-number-value').textContent());
  const box = (await height.locator('.kg-number-value').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => Number(await height.locator('.kg-number-value').textContent())).toBeGreaterThan(start);
  await page.keyboard.press('Control+z');
  await expect(height.locator('.kg-number-value')).toHaveText(String(start));

  await node.locator('[data-param-row="width"] .kg-to-socket').click();
  await expect(handle(page, '1', 'width', 'target')).toBeVisible();
  await dragLink(page, handle(page, '2', 'value', 'source'), handle(page, '1', 'width', 'target'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await shot(page, info, 'widget-as-socket');
  const { doc } = await saveWorkflow(page, info);
  expect(doc.nodes['1'].inputs.width).toEqual(['2', 'value']);

  await node.locator('.kg-node-title').dblclick();
  await node.locator('input.kg-rename').fill('Make it HD');
  await node.locator('input.kg-rename').press('Enter');
  await expect(node.locator('.kg-node-title')).toHaveText('Make it HD');
  await node.getByTitle('Node menu').click();
  await node.locator('.kg-swatch').nth(2).click();
  await node.getByTitle('Collapse').click();
  await expect(node.locator('[data-param-row]')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await shot(page, info, 'renamed-collapsed');
});

test('a group carries its nodes when moved (one undo step); notes; a dropped photo becomes a LoadImage node', async ({ page }, info) => {
  await openEditor(page);
  await newCanvas(page);
  await addNodeViaSearch(page, 'load image', 'LoadImage', { x: 420, y: 220 });
  await addNodeViaSearch(page, 'resize', 'ResizeImage', { x: 780, y: 220 });
  await flowNode(page, '1').locator('.kg-node-title').click();
  await flowNode(page, '2')
    .locator('.kg-node-title')
    .click({ modifiers: ['Shift'] });
  await page.getByRole('button', { name: 'Group', exact: true }).click();
  const group = page.locator('.react-flow__node-kgGroup');
  await expect(group).toHaveCount(1);
  const before = (await flowNode(page, '2').boundingBox())!;
  const title = (await group.locator('.kg-group-title').boundingBox())!;
  await page.mouse.move(title.x + 20, title.y + 8);
  await page.mouse.down();
  await page.mouse.move(title.x + 20, title.y + 168, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await flowNode(page, '2').boundingBox())!.y).toBeGreaterThan(before.y + 120);
  await shot(page, info, 'group-moved');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await flowNode(page, '2').boundingBox())!.y).toBeCloseTo(before.y, 0);

  await page.mouse.move(500, 700);
  await page.getByRole('button', { name: 'Note', exact: true }).click();
  const note = page.locator('.react-flow__node-kgNote textarea');
  await note.fill('Try a slower push in');
  await note.blur();
  const { doc } = await saveWorkflow(page, info);
  expect((doc.ui.notes as { text: string }[]).map((n) => n.text)).toEqual(['Try a slower push in']);
  expect(doc.ui.groups).toHaveLength(1);

  await dropOnCanvas(page, { name: 'photo.jpg', mime: 'image/jpeg', bytes: await readFile(await testPhoto()) }, { x: 300, y: 500 });
  const loader = page.locator('.kg-node[data-node-type="LoadImage"]');
  await expect(loader).toHaveCount(2);
  await expect
    .poll(() =>
      loader
        .nth(1)
        .locator('img.kg-thumb')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBeGreaterThan(0);
  await shot(page, info, 'photo-dropped');

  // A sound file becomes the node type that loads sounds, with a player for the upload.
  await dropOnCanvas(page, { name: 'tone.wav', mime: 'audio/wav', bytes: sineWav(0.5) }, { x: 700, y: 500 });
  const audioLoader = page.locator('.kg-node[data-node-type="LoadAudio"]');
  await expect(audioLoader).toHaveCount(1);
  await expect(audioLoader.locator('audio')).toBeVisible();
  await expect.poll(() => audioLoader.locator('audio').evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1);
});

/** A mono 16-bit 44.1 kHz WAV of a 440 Hz tone. */
function sineWav(seconds: number): Buffer {
  const rate = 44_100;
  const n = Math.round(seconds * rate);
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), 44 + i * 2);
  return b;
}
