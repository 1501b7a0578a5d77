import { createContext } from 'react';
import type { NodeSchema } from '../api/types.js';

/** Below this zoom nodes draw a sketch (sockets and size, no widgets): a 300-node graph then loads and pans fast. */
export const LOW_DETAIL_ZOOM = 0.45;

/** True while the canvas is zoomed out past LOW_DETAIL_ZOOM (flips rarely, so nodes re-render rarely). */
export const LowDetailContext = createContext(false);

/** Each node's height when last drawn in full, so its sketch keeps the same size (links do not jump). */
export const fullHeights = new Map<string, number>();

const WIDGET_HEIGHT: Record<string, number> = {
  seed: 72,
  multiline: 84,
  'image-upload': 196,
  'audio-upload': 74,
  'file-upload': 74,
  'camera-path': 190,
  json: 110,
};

/** A node's height before it was ever drawn in full: header, socket rows and a typical height per widget. */
export function estimateHeight(schema: NodeSchema): number {
  const rows = Math.max(schema.inputs.length, schema.outputs.length) * 22;
  const widgets = schema.params.reduce((h, p) => h + (WIDGET_HEIGHT[p.hint.widget] ?? 46), 0);
  return 30 + rows + widgets + 14;
}

/** The view that fits a document before anything is drawn (so a big graph's first render is already a sketch). */
export function estimatedFit(
  doc: { nodes: Record<string, { type: string }>; ui: { nodes: Record<string, { x: number; y: number; width?: number }> } },
  schemaOf: (type: string) => NodeSchema | undefined,
  size: { width: number; height: number },
  fit: (bounds: { x: number; y: number; width: number; height: number }, w: number, h: number) => { x: number; y: number; zoom: number },
): { x: number; y: number; zoom: number } | undefined {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [id, u] of Object.entries(doc.ui.nodes)) {
    const schema = doc.nodes[id] ? schemaOf(doc.nodes[id].type) : undefined;
    x0 = Math.min(x0, u.x);
    y0 = Math.min(y0, u.y);
    x1 = Math.max(x1, u.x + (u.width ?? 280));
    y1 = Math.max(y1, u.y + (fullHeights.get(id) ?? (schema ? estimateHeight(schema) : 120)));
  }
  if (!Number.isFinite(x0)) return undefined;
  return fit({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, size.width, size.height);
}
