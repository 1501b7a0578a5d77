/**
 * Geometry of a contact grid: a header row of column labels, a left column of row labels, and cells of
 * `framesPerCell` thumbnails side by side, each cell captioned with its variant's label. Pure numbers, so the
 * picture (sharp) and the video (ffmpeg) put every thumbnail in the same place.
 */
export interface GridSpec {
  rows: string[];
  columns: string[];
  frameWidth: number;
  frameHeight: number;
  framesPerCell: number;
}

export interface GridLayout {
  width: number;
  height: number;
  /** Top-left of thumbnail k of the cell at (row, col). */
  frameAt(row: number, col: number, k: number): { x: number; y: number };
  labels: Array<{ x: number; y: number; text: string; size: number; anchor: 'start' | 'middle' }>;
}

export const PAD = 12;
const GAP = 4;
const HEADER = 34;
const CAPTION = 22;
const LABEL_SIZE = 16;
const CAPTION_SIZE = 13;
/** Characters a label is cut to: the picture stays readable, the full values are in the meta. */
const MAX_LABEL = 48;

const even = (n: number) => n + (n % 2);
const cut = (t: string, n = MAX_LABEL) => (t.length > n ? t.slice(0, n - 1) + '…' : t);

export function layoutGrid(s: GridSpec, captions: (row: number, col: number) => string | undefined): GridLayout {
  const hasRowLabels = s.rows.some((r) => r !== '');
  const hasColLabels = s.columns.some((c) => c !== '');
  // About 10 px a character at 16 px: wide enough for the longest row label.
  const left = hasRowLabels ? Math.min(320, Math.max(...s.rows.map((r) => cut(r, 40).length)) * 10 + PAD) : 0;
  const top = hasColLabels ? HEADER : 0;
  const cellW = s.framesPerCell * s.frameWidth + (s.framesPerCell - 1) * GAP;
  const cellH = s.frameHeight + CAPTION;
  const width = even(PAD * 2 + left + s.columns.length * cellW + (s.columns.length - 1) * PAD);
  const height = even(PAD * 2 + top + s.rows.length * cellH + (s.rows.length - 1) * PAD);
  const cellX = (c: number) => PAD + left + c * (cellW + PAD);
  const cellY = (r: number) => PAD + top + r * (cellH + PAD);
  const labels: GridLayout['labels'] = [];
  if (hasColLabels)
    s.columns.forEach((t, c) =>
      labels.push({ x: cellX(c) + cellW / 2, y: PAD + LABEL_SIZE, text: cut(t), size: LABEL_SIZE, anchor: 'middle' }),
    );
  if (hasRowLabels)
    s.rows.forEach((t, r) =>
      labels.push({ x: PAD, y: cellY(r) + s.frameHeight / 2 + LABEL_SIZE / 3, text: cut(t, 40), size: LABEL_SIZE, anchor: 'start' }),
    );
  for (let r = 0; r < s.rows.length; r++) {
    for (let c = 0; c < s.columns.length; c++) {
      const text = captions(r, c);
      if (text)
        labels.push({
          x: cellX(c),
          y: cellY(r) + s.frameHeight + CAPTION_SIZE + 4,
          text: cut(text, Math.max(8, Math.floor(cellW / 7))),
          size: CAPTION_SIZE,
          anchor: 'start',
        });
    }
  }
  return {
    width,
    height,
    frameAt: (row, col, k) => ({ x: cellX(col) + k * (s.frameWidth + GAP), y: cellY(row) }),
    labels,
  };
}

/** XML-escaped text for an SVG text node (labels are the user's values: a '<' must not open a tag). */
export function escapeXml(t: string): string {
  return t.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** The labels as one SVG the size of the grid, for sharp to draw over the background. */
export function labelsSvg(l: GridLayout): string {
  const texts = l.labels
    .map((t) => `<text x="${t.x}" y="${t.y}" font-size="${t.size}" text-anchor="${t.anchor}">${escapeXml(t.text)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}"><g font-family="DejaVu Sans, sans-serif" fill="#e8e8ec">${texts}</g></svg>`;
}
