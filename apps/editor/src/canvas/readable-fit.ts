/**
 * The smallest zoom at which node text stays readable: node fonts are at least 12 px (styles.css), and
 * 12 px × 0.92 ≈ 11 px on screen. A fit never zooms out further: a graph too big for the window is shown from
 * its start (top left) at this zoom and the rest is a scroll away, instead of a wall of unreadable boxes.
 */
export const READABLE_ZOOM = 0.92;
/** Node text's smallest size in flow pixels (kept in step with styles.css). */
export const MIN_NODE_FONT_PX = 12;

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/**
 * The view that shows `bounds` in a `width`×`height` pane with `padding` (a fraction of the pane) around it, at a
 * zoom between READABLE_ZOOM and `maxZoom`. On an axis where the graph fits it is centred; where it does not, its
 * start is aligned with the padding (a workflow reads left to right, top to bottom).
 */
export function readableFit(bounds: Bounds, width: number, height: number, padding = 0.08, maxZoom = 1, minZoom = READABLE_ZOOM): Viewport {
  const padX = width * padding;
  const padY = height * padding;
  const fitZoom = Math.min((width - 2 * padX) / Math.max(1, bounds.width), (height - 2 * padY) / Math.max(1, bounds.height));
  const zoom = Math.max(minZoom, Math.min(maxZoom, fitZoom));
  const axis = (start: number, size: number, pane: number, pad: number) => {
    const drawn = size * zoom;
    return drawn + 2 * pad <= pane ? (pane - drawn) / 2 - start * zoom : pad - start * zoom;
  };
  return { x: axis(bounds.x, bounds.width, width, padX), y: axis(bounds.y, bounds.height, height, padY), zoom };
}
