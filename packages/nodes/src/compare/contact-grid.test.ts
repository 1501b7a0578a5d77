import { describe, expect, it } from 'vitest';
import { ImageValue } from '../values/image.js';
import { videoFromFrames, type VideoValue } from '../values/video.js';
import { ContactGrid, placeCells } from './contact-grid.js';
import { escapeXml, labelsSvg, layoutGrid, PAD } from './grid-layout.js';
import { keyFrames, renderGridImage, renderGridVideo, type GridSheet } from './render-grid.js';

const solid = (w: number, h: number, rgb: [number, number, number]) => {
  const f = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) f.set(rgb, i * 3);
  return f;
};
/** A clip whose frame i is a solid colour: red grows with i, green/blue name the clip. */
const clip = (frames: number, g: number, b: number): VideoValue =>
  videoFromFrames(
    64,
    36,
    24,
    Array.from({ length: frames }, (_, i) => solid(64, 36, [i * 20, g, b])),
  );
const pixel = (img: { width: number; data: Uint8Array }, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('contact grid layout', () => {
  it('sizes the grid from its cells and places every label (escaped for SVG)', () => {
    const l = layoutGrid(
      { rows: ['seed=1', 'seed=2'], columns: ['motion=<low>', 'motion=high & fast'], frameWidth: 100, frameHeight: 50, framesPerCell: 3 },
      (r, c) => `cell ${r}${c}`,
    );
    const cellW = 3 * 100 + 2 * 4;
    const left = 6 * 10 + PAD;
    expect(l.width).toBe(PAD * 2 + left + 2 * cellW + PAD);
    expect(l.height).toBe(PAD * 2 + 34 + 2 * (50 + 22) + PAD);
    expect(l.frameAt(1, 1, 2)).toEqual({ x: PAD + left + cellW + PAD + 2 * 104, y: PAD + 34 + 72 + PAD });
    expect(l.labels.map((t) => t.text)).toEqual([
      'motion=<low>',
      'motion=high & fast',
      'seed=1',
      'seed=2',
      'cell 00',
      'cell 01',
      'cell 10',
      'cell 11',
    ]);
    const svg = labelsSvg(l);
    expect(svg).toContain('>motion=&lt;low&gt;</text>');
    expect(svg).toContain('>motion=high &amp; fast</text>');
    expect(escapeXml(`"a'`)).toBe('&quot;a&apos;');
  });

  it('picks the first, middle and last frame', () => {
    expect(keyFrames(clip(24, 0, 0))).toEqual([0, 11, 23]);
    expect(keyFrames(clip(2, 0, 0))).toEqual([0, 1]);
    expect(keyFrames(new ImageValue(2, 2, new Uint8Array(12)))).toEqual([0]);
  });

  it('places cells in reading order', () => {
    const p = placeCells(5, 2);
    expect([p.rows, p.cols]).toEqual([3, 2]);
    expect(p.at(3)).toEqual({ row: 1, col: 1 });
    expect(placeCells(3, 0).cols).toBe(3);
  });
});

describe('contact grid rendering', () => {
  const sheet: GridSheet = {
    rows: ['seed=1', 'seed=2'],
    columns: ['a', 'b'],
    thumbWidth: 64,
    cells: [
      { row: 0, col: 0, caption: 'one', media: clip(5, 10, 200) },
      { row: 0, col: 1, caption: 'two', media: clip(5, 60, 150) },
      { row: 1, col: 0, caption: 'three', media: clip(3, 110, 100) },
      { row: 1, col: 1, caption: 'four', media: clip(5, 160, 50) },
    ],
  };

  it('draws the first, middle and last frame of each cell where the layout says, and the labels', async () => {
    const img = await renderGridImage(sheet);
    const l = layoutGrid({ rows: sheet.rows, columns: sheet.columns, frameWidth: 64, frameHeight: 36, framesPerCell: 3 }, () => 'x');
    expect([img.width, img.height]).toEqual([l.width, l.height]);
    const at = (r: number, c: number, k: number) => {
      const p = l.frameAt(r, c, k);
      return pixel(img, p.x + 32, p.y + 18);
    };
    expect(at(0, 0, 0)).toEqual([0, 10, 200]);
    expect(at(0, 0, 1)).toEqual([40, 10, 200]); // frame 2 of 5
    expect(at(0, 0, 2)).toEqual([80, 10, 200]);
    expect(at(1, 0, 2)).toEqual([40, 110, 100]); // frame 2 of 3
    expect(at(1, 1, 0)).toEqual([0, 160, 50]);
    // The header row holds light text pixels (the column labels), the background elsewhere stays dark.
    let light = 0;
    for (let x = 0; x < img.width; x++) for (let y = 0; y < 30; y++) if (pixel(img, x, y)[0] > 150) light++;
    expect(light).toBeGreaterThan(20);
    expect(pixel(img, 1, img.height - 2)).toEqual([27, 27, 31]);
  });

  it('plays every clip in sync in the grid video; a shorter clip holds its last frame', async () => {
    const v = await renderGridVideo(sheet);
    expect([v.frameCount, v.fps, v.width % 2, v.height % 2]).toEqual([5, 24, 0, 0]);
    const l = layoutGrid({ rows: sheet.rows, columns: sheet.columns, frameWidth: 64, frameHeight: 36, framesPerCell: 1 }, () => 'x');
    const f4 = { width: v.width, data: await v.frameAt(4) };
    const at = (r: number, c: number) => {
      const p = l.frameAt(r, c, 0);
      return pixel(f4, p.x + 32, p.y + 18);
    };
    expect(at(0, 1)).toEqual([80, 60, 150]);
    expect(at(1, 0)).toEqual([40, 110, 100]);
  });

  it('is a node: labels one a line, cells in reading order', async () => {
    const out = (await ContactGrid.execute(
      {} as never,
      { video_1: clip(3, 0, 0), video_3: clip(3, 0, 255) },
      { labels: 'first\nsecond', columns: 0, thumb_width: 64 },
    )) as {
      image: ImageValue;
      video: VideoValue;
    };
    expect(out.image).toBeInstanceOf(ImageValue);
    expect(out.video.frameCount).toBe(3);
    expect(out.image.width).toBeGreaterThan(2 * 3 * 64);
    await expect(ContactGrid.execute({} as never, {}, { labels: '', columns: 0, thumb_width: 64 })).rejects.toThrow(/at least one video/);
  });
});
