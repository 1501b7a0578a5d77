import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { variantLabel, type Variant } from '@kinegraph/graph-core';
import {
  decodeImageFile,
  decodeVideoFile,
  encodeVideo,
  renderGridImage,
  renderGridVideo,
  type GridCell,
  type GridSheet,
} from '@kinegraph/nodes';
import { CliError } from './exit-codes.js';

export interface VariantResult {
  variant: Variant;
  files: string[];
}

const VIDEO = /\.(mp4|webm|gif)$/i;
const IMAGE = /\.(png|jpe?g|webp)$/i;

/**
 * Rows and columns from the swept parameters: the last axis across, the others down (an XY plot). When the
 * variants do not fill that table (--zip), one row per variant, labelled with all its values.
 */
export function arrangeVariants(variants: Variant[]): {
  rows: string[];
  columns: string[];
  at: (i: number) => { row: number; col: number };
} {
  const settingText = (s: Variant['settings'][number]) => variantLabel({ index: 0, settings: [s] });
  const rowKey = (v: Variant) => variantLabel({ index: 0, settings: v.settings.slice(0, -1) });
  const colKey = (v: Variant) => (v.settings.length ? settingText(v.settings[v.settings.length - 1]) : '');
  const rows = [...new Set(variants.map(rowKey))];
  const columns = [...new Set(variants.map(colKey))];
  const cells = new Set(variants.map((v) => `${rowKey(v)}\n${colKey(v)}`));
  // One axis: one variant a row (three frames across is already wide).
  const twoAxes = variants.every((v) => v.settings.length >= 2);
  if (twoAxes && rows.length * columns.length === variants.length && cells.size === variants.length) {
    return { rows, columns, at: (i) => ({ row: rows.indexOf(rowKey(variants[i])), col: columns.indexOf(colKey(variants[i])) }) };
  }
  return { rows: variants.map((v) => variantLabel(v)), columns: [''], at: (i) => ({ row: i, col: 0 }) };
}

export function checkGridFile(file: string): void {
  if (!/\.png$/i.test(file)) throw new CliError(`--grid ${file}: name a .png file (the grid video is written beside it as .mp4)`);
}

/** Writes to a partial name and renames, so a grid is never seen half-written. */
async function atomically(file: string, write: (partial: string) => Promise<unknown>): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial${path.extname(file)}`);
  try {
    await write(partial);
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/**
 * `--grid out/grid.png`: the variants' first written clip (or picture) each, as a labelled grid picture of the
 * first, middle and last frame, and, when they are clips, `grid.mp4` beside it playing them all in sync.
 */
export async function writeVariantGrid(pngFile: string, results: VariantResult[]): Promise<string[]> {
  checkGridFile(pngFile);
  const place = arrangeVariants(results.map((r) => r.variant));
  const cells: GridCell[] = [];
  for (const [i, r] of results.entries()) {
    const file = r.files.find((f) => VIDEO.test(f)) ?? r.files.find((f) => IMAGE.test(f));
    if (!file) throw new CliError(`--grid: variant ${variantLabel(r.variant) || i + 1} wrote no picture or video to show`);
    const media = VIDEO.test(file) ? await decodeVideoFile(file, file, { maxFrames: 0 }) : await decodeImageFile(file, file);
    cells.push({ ...place.at(i), caption: path.basename(file), media });
  }
  const sheet: GridSheet = { rows: place.rows, columns: place.columns, cells };
  await mkdir(path.dirname(pngFile), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`--grid: can not create ${path.dirname(pngFile)} (${err.code ?? err.message})`);
  });
  const image = await renderGridImage(sheet);
  await atomically(pngFile, (partial) =>
    sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .png()
      .toFile(partial),
  );
  const written = [pngFile];
  if (cells.some((c) => c.media.kind === 'video')) {
    const videoFile = pngFile.replace(/\.png$/i, '.mp4');
    const video = await renderGridVideo(sheet);
    await atomically(videoFile, (partial) =>
      encodeVideo({ video, format: 'mp4', quality: 70, outFile: partial, tempDir: path.dirname(pngFile) }),
    );
    written.push(videoFile);
  }
  return written;
}
