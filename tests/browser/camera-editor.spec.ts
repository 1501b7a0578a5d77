import { expect, test, type Page } from '@playwright/test';
import { flowNode, openEditor, shot } from './helpers.js';

/** Drags the canvas so a node's top-left corner sits near the given point of the window. */
async function bringIntoView(page: Page, id: string, to = { x: 220, y: 120 }): Promise<void> {
  const box = (await flowNode(page, id).boundingBox())!;
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const start = { x: pane.x + 8, y: pane.y + pane.height - 8 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + (to.x - box.x), start.y + (to.y - box.y), { steps: 8 });
  await page.mouse.up();
}

async function openCameraEditor(page: Page): Promise<void> {
  await openEditor(page);
  await expect(flowNode(page, 'camera')).toBeVisible();
  await bringIntoView(page, 'camera');
  await flowNode(page, 'camera').getByTestId('open-camera-editor').click();
  await expect(page.getByTestId('camera-editor')).toBeVisible();
}

/** The Camera Path node's value as this tab autosaved it (its slot in localStorage, written a moment after an edit). Waits for
 * the first autosave: on a loaded machine it can land after the editor has already opened. */
async function storedPath(
  page: Page,
): Promise<{ moves: { type: string; intensity: number }[]; keyframes: { t: number; rotation?: number[]; fov?: number }[] }> {
  const handle = await page.waitForFunction(() => {
    const slot = sessionStorage.getItem('kinegraph.slot');
    const rec = JSON.parse(localStorage.getItem(`kinegraph.workspace.${slot}`) ?? 'null');
    const find = (v: any): any => {
      if (!v || typeof v !== 'object') return undefined;
      if (v.nodes?.camera?.params?.path) return v.nodes.camera.params.path;
      for (const x of Object.values(v)) {
        const f = find(x);
        if (f) return f;
      }
      return undefined;
    };
    return find(rec);
  });
  return handle.jsonValue();
}

test.use({ viewport: { width: 1366, height: 768 } });

test('the camera editor frames start and end by dragging over the photo, and refuses an invalid value as it is typed', async ({
  page,
}, info) => {
  await openCameraEditor(page);
  const editor = page.getByTestId('camera-editor');
  // The palette is the node's own list of moves (from the server's schema).
  const nodes = (await (await page.request.get('/api/nodes')).json()) as {
    nodes: { type: string; params: { name: string; schema: any }[] }[];
  };
  const offered = nodes.nodes.find((n) => n.type === 'CameraPath')!.params[0]!.schema.properties.moves.items.properties.type
    .enum as string[];
  await expect(editor.getByTestId('move-palette').locator('button')).toHaveCount(offered.length);
  await shot(page, info, 'camera-editor-open');

  await editor.getByTestId('frame-by-hand').click();
  const end = editor.getByTestId('framing-end');
  await expect(end).toBeVisible();
  await expect(editor.getByTestId('framing-start')).toBeVisible();
  await expect.poll(async () => (await storedPath(page)).keyframes.length).toBe(2);

  // Drag the end frame to the right and up: the camera turns right and up at the end.
  const box = (await end.locator('rect').first().boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 - 30, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await storedPath(page)).keyframes.find((k) => k.t === 1)?.rotation?.[0] ?? 0).toBeGreaterThan(2);
  const dragged = (await storedPath(page)).keyframes.find((k) => k.t === 1)!;
  expect(dragged.rotation![1]).toBeGreaterThan(0.5);
  // Its corner zooms: dragging it inwards narrows the field of view.
  const corner = (await editor.getByTestId('framing-end-corner').boundingBox())!;
  await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
  await page.mouse.down();
  await page.mouse.move(corner.x - 30, corner.y - 20, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await storedPath(page)).keyframes.find((k) => k.t === 1)!.fov!).toBeLessThan(dragged.fov! - 1);
  await shot(page, info, 'camera-end-framed');

  // A keyframe in between, framed halfway; dragging its marker on the time line retimes it.
  await editor.getByRole('button', { name: '+ keyframe' }).click();
  await expect(editor.getByTestId('framing-between')).toBeVisible();
  await expect.poll(async () => (await storedPath(page)).keyframes.length).toBe(3);
  const track = (await editor.getByTestId('keyframe-track').boundingBox())!;
  const marker = (await editor.getByTestId('keyframe-marker').nth(2).boundingBox())!;
  await page.mouse.move(marker.x + marker.width / 2, marker.y + marker.height / 2);
  await page.mouse.down();
  await page.mouse.move(track.x + track.width * 0.25, marker.y + marker.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await storedPath(page)).keyframes[2]!.t).toBeCloseTo(0.25, 1);

  // A move's timing: drag the end of its bar to the left.
  const grip = (await editor.getByTestId('camera-move').first().getByTestId('move-end-grip').boundingBox())!;
  const bar = (await editor.getByTestId('camera-move').first().getByTestId('move-bar').boundingBox())!;
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(grip.x - bar.width * 0.4, grip.y + grip.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect
    .poll(async () => (await storedPath(page)).moves[0] as unknown as { end: number })
    .toMatchObject({ end: expect.closeTo(0.6, 1) });
  await shot(page, info, 'camera-keyframe-and-timing');

  // Add a Director move from the palette, then type an intensity past the schema's maximum.
  await editor.getByTestId('move-palette').locator('button[data-move="orbit_left"]').click();
  const rows = editor.getByTestId('camera-move');
  const added = rows.last();
  await expect(added.locator('select').first()).toHaveValue('orbit_left');
  const intensity = added.getByTestId('move-intensity');
  await intensity.fill('3');
  await expect(editor.getByTestId('camera-error')).toBeVisible();
  await expect(editor.getByTestId('camera-error')).toContainText('1');
  await expect(intensity).toHaveAttribute('aria-invalid', 'true');
  await shot(page, info, 'camera-invalid-refused');
  // Refused: the document keeps the last valid value.
  await page.waitForTimeout(600);
  expect((await storedPath(page)).moves.at(-1)).toMatchObject({ type: 'orbit_left', intensity: 0.5 });
  // A valid one is taken at once.
  await intensity.fill('0.8');
  await expect(editor.getByTestId('camera-error')).toBeHidden();
  await expect.poll(async () => (await storedPath(page)).moves.at(-1)!.intensity).toBe(0.8);
  // An invalid field of view is refused too (the schema's 10..90).
  await editor.getByTestId('keyframe-fov').fill('150');
  await expect(editor.getByTestId('camera-error')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(editor.getByTestId('camera-error')).toBeHidden();
  await shot(page, info, 'camera-editor-final');
  await page.getByRole('button', { name: 'Close camera editor' }).click();
  await expect(page.getByTestId('camera-editor')).toBeHidden();
});

test('a move whose end comes before its start is refused as it is typed, in the words of the served schema', async ({ page }, info) => {
  await openCameraEditor(page);
  const editor = page.getByTestId('camera-editor');
  // The rule and its words come with the node's schema from /api/nodes ("x-ordered"), as the server states them.
  const nodes = (await (await page.request.get('/api/nodes')).json()) as {
    nodes: { type: string; params: { name: string; schema: any }[] }[];
  };
  const rule = nodes.nodes.find((n) => n.type === 'CameraPath')!.params[0]!.schema.properties.moves.items['x-ordered'][0] as {
    earlier: string;
    later: string;
    message: string;
  };
  expect(rule).toMatchObject({ earlier: 'start', later: 'end' });

  const move = editor.getByTestId('camera-move').first();
  const start = move.getByRole('textbox', { name: 'start', exact: true });
  const end = move.getByRole('textbox', { name: 'end', exact: true });
  await start.fill('0.4');
  await expect.poll(async () => ((await storedPath(page)).moves[0] as unknown as { start: number }).start).toBe(0.4);
  // An end before that start: refused at once, with the schema's message; the document keeps its end.
  const endBefore = ((await storedPath(page)).moves[0] as unknown as { end: number }).end;
  await end.fill('0.2');
  await expect(end).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByTestId('camera-error')).toHaveText(rule.message);
  await shot(page, info, 'camera-end-before-start-refused');
  await page.waitForTimeout(600);
  expect((await storedPath(page)).moves[0]).toMatchObject({ start: 0.4, end: endBefore });
  // Leaving the field puts the stored value back; an end after the start is taken.
  await page.keyboard.press('Tab');
  await expect(end).toHaveValue(String(endBefore));
  await end.fill('0.7');
  await expect(editor.getByTestId('camera-error')).toBeHidden();
  await expect.poll(async () => (await storedPath(page)).moves[0]).toMatchObject({ start: 0.4, end: 0.7 });
  // A start typed past that end is refused the same way.
  await start.fill('0.8');
  await expect(start).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByTestId('camera-error')).toHaveText(rule.message);
  await page.waitForTimeout(600);
  expect((await storedPath(page)).moves[0]).toMatchObject({ start: 0.4, end: 0.7 });
  await shot(page, info, 'camera-timing-accepted');
});
