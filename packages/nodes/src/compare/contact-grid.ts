import { defineNode, input, output, p, UserError } from '@kinegraph/graph-core';
import { IMAGE, VIDEO } from '../sockets.js';
import { VideoValue } from '../values/video.js';
import { renderGridImage, renderGridVideo, type GridCell } from './render-grid.js';

export const CONTACT_GRID_INPUTS = 8;
const inputNames = Array.from({ length: CONTACT_GRID_INPUTS }, (_, i) => `video_${i + 1}`);

/** Cells in reading order: `columns` a row (0: all in one row). Labels: one a line, in the same order. */
export function placeCells(
  count: number,
  columns: number,
): { rows: number; cols: number; at: (i: number) => { row: number; col: number } } {
  const cols = columns > 0 ? Math.min(columns, count) : count;
  return { rows: Math.ceil(count / cols), cols, at: (i) => ({ row: Math.floor(i / cols), col: i % cols }) };
}

export const ContactGrid = defineNode({
  type: 'ContactGrid',
  category: 'compare',
  title: 'Contact Grid',
  description:
    'Lays several clips (or pictures) out side by side to compare them: a labelled grid picture of the first, middle and last frame of each, and a grid video playing them all in sync. Connect SaveImage and SaveVideo to keep them.',
  version: 1,
  inputs: Object.fromEntries(inputNames.map((n) => [n, input(VIDEO, { optional: true })])),
  outputs: { image: output(IMAGE), video: output(VIDEO) },
  params: {
    labels: p.string({ default: '', multiline: true, label: 'Labels (one a line)', maxLength: 4000 }),
    columns: p.int({ default: 0, min: 0, max: CONTACT_GRID_INPUTS, label: 'Columns (0: one row)' }),
    thumb_width: p.int({ default: 256, min: 32, max: 1024, step: 2, label: 'Thumbnail width', advanced: true }),
  },
  cache: 'pure',
  async execute(_ctx, inputs, params) {
    const clips = inputNames.map((n) => inputs[n]).filter((v): v is VideoValue => v !== undefined);
    if (!clips.length) throw new UserError('Connect at least one video to compare', 'video_1');
    const labels = params.labels.split(/\r?\n/).map((l) => l.trim());
    const place = placeCells(clips.length, params.columns);
    const cells: GridCell[] = clips.map((media, i) => ({ ...place.at(i), caption: labels[i] || `#${i + 1}`, media }));
    const sheet = {
      rows: new Array<string>(place.rows).fill(''),
      columns: new Array<string>(place.cols).fill(''),
      cells,
      thumbWidth: params.thumb_width,
    };
    return { image: await renderGridImage(sheet), video: await renderGridVideo(sheet) };
  },
});
