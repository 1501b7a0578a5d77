import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import WebSocket from 'ws';
import { decodePreviewFrame, parsePreviewState, type PreviewFrame, type PreviewState } from '../../protocol/index.js';
import { startServer, type RunningServer } from '../start.js';

let dir: string;
let server: RunningServer;
const workflow = async () =>
  JSON.parse(await readFile(path.join(import.meta.dirname, '../../../../../workflows/photo-to-video.json'), 'utf8'));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kg-preview-'));
  server = await startServer({ port: 0, dataDir: dir, modelsDir: path.join(dir, 'models'), log: () => undefined });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A tab's socket that keeps every preview state and frame it receives. */
async function tab() {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { origin: server.url } });
  const states: PreviewState[] = [];
  const frames: PreviewFrame[] = [];
  ws.on('message', (data, binary) => {
    if (binary) frames.push(decodePreviewFrame(data as Buffer));
    else {
      const s = parsePreviewState(String(data));
      if (s) states.push(s);
    }
  });
  await new Promise((resolve) => ws.once('open', resolve));
  const until = async (ok: () => boolean, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ws, states, frames, until, send: (m: object) => ws.send(JSON.stringify({ v: 1, ...m })) };
}

describe('live motion preview over /ws', () => {
  it('streams frames of the scene, follows a camera edit with new frames, holds a scrubbed frame', async () => {
    const wf = await workflow();
    const t = await tab();
    t.send({ type: 'preview_open', session: 'a', workflow: wf, nodeId: 'denoise', width: 320 });
    await t.until(() => t.states.some((s) => s.status === 'ready'));
    const ready = t.states.find((s) => s.status === 'ready')!;
    expect(ready).toMatchObject({ generation: 1, frames: 144, fps: 24, width: 320, height: 180 });
    await t.until(() => t.frames.length >= 10);
    const first = t.frames.slice(0, 10);
    expect(first.every((f) => f.mime === 'image/jpeg' && f.header.preview?.session === 'a' && f.header.width === 320)).toBe(true);
    // Playing: the frame index moves on.
    expect(new Set(first.map((f) => f.header.preview!.frame)).size).toBeGreaterThan(5);

    // Hold frame 100 of this edit, then the same frame after a camera edit: another picture.
    t.send({ type: 'preview_seek', session: 'a', frame: 100, playing: false });
    await t.until(() => t.frames.at(-1)?.header.preview?.frame === 100);
    const before = t.frames.at(-1)!;
    wf.nodes.camera.params.path = {
      moves: [{ type: 'pan_right', intensity: 1, easing: 'linear', start: 0, end: 1 }],
      keyframes: [],
      shakeSeed: 1,
    };
    t.send({ type: 'preview_open', session: 'a', workflow: wf, nodeId: 'denoise', width: 320, frame: 100, playing: false });
    await t.until(() => t.frames.at(-1)?.header.preview?.generation === 2);
    const after = t.frames.at(-1)!;
    expect(after.header.preview!.frame).toBe(100);
    expect(Buffer.compare(Buffer.from(before.image), Buffer.from(after.image))).not.toBe(0);
    // Held: no more frames arrive.
    const count = t.frames.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(t.frames.length).toBe(count);
    t.ws.close();
  });

  it('says why it can not preview (an invalid camera move), and ignores messages it does not know', async () => {
    const wf = await workflow();
    wf.nodes.camera.params.path = { moves: [{ type: 'spin', intensity: 3 }] };
    const t = await tab();
    t.send({ type: 'no_such_message' });
    t.send({ type: 'preview_open', session: 'b', workflow: wf, nodeId: 'denoise' });
    await t.until(() => t.states.some((s) => s.status === 'failed'));
    expect(t.states.find((s) => s.status === 'failed')).toMatchObject({ nodeId: 'camera' });
    expect(t.frames).toHaveLength(0);
    t.ws.close();
  });

  it('plays Motion Brush regions: frames differ from the unbrushed preview inside the painted mask, not outside it', async () => {
    const file = (name: string) => path.join(import.meta.dirname, '../../../../../workflows', name);
    const wf = JSON.parse(await readFile(file('photo-to-video-motion-brush.json'), 'utf8'));
    // Framing beyond: the camera does not make room for the brush's reach, so both previews frame the same.
    wf.nodes.denoise.params.framing = 'beyond';
    const t = await tab();
    const held = async (generation: number) => {
      await t.until(() => t.frames.some((f) => f.header.preview?.generation === generation && f.header.preview.frame === 60));
      const f = t.frames.findLast((x) => x.header.preview?.generation === generation)!;
      return sharp(Buffer.from(f.image)).raw().toBuffer({ resolveWithObject: true });
    };
    t.send({ type: 'preview_open', session: 'm', workflow: wf, nodeId: 'denoise', width: 320, frame: 60, playing: false });
    const brushed = await held(1);
    delete wf.nodes.denoise.inputs.motion_regions;
    t.send({ type: 'preview_open', session: 'm', workflow: wf, nodeId: 'denoise', width: 320, frame: 60, playing: false });
    const plain = await held(2);
    t.ws.close();
    const { width: w, height: h } = brushed.info;
    expect([w, h, plain.info.width]).toEqual([320, 180, 320]);

    // The painted mask as Encode Image fitted the photo (1280×800 cropped to 16:9 around its centre), at preview size.
    const src = sharp(await readFile(file('assets/evening-glow-lake-mask.png')));
    const { width: mw = 0, height: mh = 0 } = await src.metadata();
    const cropH = Math.round((mw * 9) / 16);
    const mask = await src
      .extract({ left: 0, top: Math.round((mh - cropH) / 2), width: mw, height: cropH })
      .resize(w, h, { fit: 'fill' })
      .greyscale()
      .raw()
      .toBuffer();
    const painted = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && mask[y * w + x]! > 127;
    // Within r pixels of the mask (any painted) or deep inside it (all painted).
    const around = (x: number, y: number, r: number, all: boolean) => {
      for (let dy = -r; dy <= r; dy += 2) for (let dx = -r; dx <= r; dx += 2) if (painted(x + dx, y + dy) !== all) return !all;
      return all;
    };
    let inside = 0;
    let insideDiff = 0;
    let outside = 0;
    let outsideDiff = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 3;
        const d = (Math.abs(brushed.data[i]! - plain.data[i]!) + Math.abs(brushed.data[i + 1]! - plain.data[i + 1]!)) / 2;
        if (around(x, y, 8, true)) (inside++, (insideDiff += d));
        else if (!around(x, y, 20, false)) (outside++, (outsideDiff += d));
      }
    }
    expect(inside).toBeGreaterThan(1000);
    expect(outside).toBeGreaterThan(10_000);
    // The lake ripples in the brushed preview; away from the mask the two JPEGs are the same picture.
    expect(insideDiff / inside).toBeGreaterThan(2);
    expect(outsideDiff / outside).toBeLessThan(0.05);
  });
});
