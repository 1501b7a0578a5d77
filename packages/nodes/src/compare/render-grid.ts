import sharp from 'sharp';
import { ImageValue } from '../values/image.js';
import { VideoValue } from '../values/video.js';
import { labelsSvg, layoutGrid, type GridLayout } from './grid-layout.js';

/** One variant's place in the grid: its row and column, its caption, its clip (or a single picture). */
export interface GridCell {
  row: number;
  col: number;
  caption?: string;
  media: VideoValue | ImageValue;
}

export interface GridSheet {
  rows: string[];
  columns: string[];
  cells: GridCell[];
  /** Thumbnail width in pixels (height follows the first cell's aspect). */
  thumbWidth?: number;
}

const BACKGROUND = { r: 27, g: 27, b: 31 };
const evenAtLeast2 = (n: number) => Math.max(2, Math.round(n / 2) * 2);

function thumbSize(sheet: GridSheet): { w: number; h: number } {
  const first = sheet.cells[0].media;
  const w = evenAtLeast2(sheet.thumbWidth ?? 256);
  return { w, h: evenAtLeast2((w * first.height) / first.width) };
}

function layoutFor(sheet: GridSheet, framesPerCell: number): GridLayout {
  if (!sheet.cells.length) throw new Error('A contact grid needs at least one variant');
  const { w, h } = thumbSize(sheet);
  const captions = new Map(sheet.cells.map((c) => [`${c.row}/${c.col}`, c.caption]));
  return layoutGrid({ rows: sheet.rows, columns: sheet.columns, frameWidth: w, frameHeight: h, framesPerCell }, (r, c) =>
    captions.get(`${r}/${c}`),
  );
}

/** RGB bytes of one picture, fitted into w x h (letterboxed on the background when the aspect differs). */
async function thumb(rgb: Uint8Array, width: number, height: number, w: number, h: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(w, h, { fit: 'contain', background: BACKGROUND, kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** First, middle and last frame of a clip (one picture for an image). */
export function keyFrames(media: VideoValue | ImageValue): number[] {
  if (media instanceof ImageValue) return [0];
  const n = media.frameCount;
  return n <= 1 ? [0] : n === 2 ? [0, 1] : [0, Math.floor((n - 1) / 2), n - 1];
}

async function frameOf(media: VideoValue | ImageValue, i: number): Promise<Uint8Array> {
  return media instanceof ImageValue ? media.data : media.frameAt(Math.min(i, media.frameCount - 1));
}

/** The labelled background (no thumbnails) as RGB. */
async function background(l: GridLayout): Promise<Buffer> {
  return sharp({ create: { width: l.width, height: l.height, channels: 3, background: BACKGROUND } })
    .composite([{ input: Buffer.from(labelsSvg(l)), top: 0, left: 0 }])
    .removeAlpha()
    .raw()
    .toBuffer();
}

function blit(dst: Uint8Array, dstW: number, src: Uint8Array, w: number, h: number, x: number, y: number): void {
  for (let row = 0; row < h; row++) dst.set(src.subarray(row * w * 3, (row + 1) * w * 3), ((y + row) * dstW + x) * 3);
}

/** The grid picture: each cell shows the first, middle and last frame of its clip. */
export async function renderGridImage(sheet: GridSheet): Promise<ImageValue> {
  const framesPerCell = Math.max(...sheet.cells.map((c) => keyFrames(c.media).length));
  const l = layoutFor(sheet, framesPerCell);
  const { w, h } = thumbSize(sheet);
  const out = new Uint8Array(await background(l));
  for (const cell of sheet.cells) {
    const picks = keyFrames(cell.media);
    for (let k = 0; k < picks.length; k++) {
      const t = await thumb(await frameOf(cell.media, picks[k]), cell.media.width, cell.media.height, w, h);
      const at = l.frameAt(cell.row, cell.col, k);
      blit(out, l.width, t, w, h, at.x, at.y);
    }
  }
  return new ImageValue(l.width, l.height, out);
}

/**
 * The grid as a clip: every variant plays in its cell, frame i of each at frame i of the grid (in sync); a
 * shorter clip holds its last frame. Frames are drawn on demand, so memory stays at one grid frame.
 */
export async function renderGridVideo(sheet: GridSheet): Promise<VideoValue> {
  const l = layoutFor(sheet, 1);
  const { w, h } = thumbSize(sheet);
  const bg = await background(l);
  const clips = sheet.cells.map((c) => c.media);
  const fps = clips.find((m): m is VideoValue => m instanceof VideoValue)?.fps ?? 24;
  const frameCount = Math.max(...clips.map((m) => (m instanceof VideoValue ? m.frameCount : 1)));
  return new VideoValue({
    width: l.width,
    height: l.height,
    fps,
    frameCount,
    byteSize: () => bg.byteLength,
    frameAt: async (i) => {
      const out = new Uint8Array(bg);
      for (const cell of sheet.cells) {
        const t = await thumb(await frameOf(cell.media, i), cell.media.width, cell.media.height, w, h);
        const at = l.frameAt(cell.row, cell.col, 0);
        blit(out, l.width, t, w, h, at.x, at.y);
      }
      return out;
    },
  });
}
