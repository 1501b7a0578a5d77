import { arrangeLayered } from './arrange-layered.js';
import { fitGroup, pushApart, type Box, type Link, type Point } from './layout.js';
import type { CanvasBoxes } from './measured-boxes.js';

/* Arrange's result for the canvas's boxes: pure, so it runs in the page or in a worker (arrange-off-thread.ts). */

export interface Arranged {
  moves: Map<string, Point>;
  groups: Box[];
}

/**
 * Arrange's positions for every item, or for `scope` alone (a paste): those are laid out among themselves where they
 * are, then moved as one block until it covers nothing that was there.
 */
export function arrangedPositions(boxes: CanvasBoxes, links: readonly Link[], scope?: ReadonlySet<string>): Arranged {
  const all = [...boxes.nodes, ...boxes.notes];
  const within = (b: Box) => !scope || scope.has(b.id);
  const moves = arrangeLayered(boxes.nodes.filter(within), links, boxes.notes.filter(within));
  const placed = all.filter(within).map((b) => ({ ...b, ...moves.get(b.id) }));
  if (scope && placed.length) {
    const x = Math.min(...placed.map((b) => b.x));
    const y = Math.min(...placed.map((b) => b.y));
    const block = {
      id: 'pasted block',
      x,
      y,
      width: Math.max(...placed.map((b) => b.x + b.width)) - x,
      height: Math.max(...placed.map((b) => b.y + b.height)) - y,
    };
    const to = pushApart([...all.filter((b) => !within(b)), block], new Set([block.id])).get(block.id);
    if (to) for (const [id, p] of moves) moves.set(id, { x: p.x + to.x - block.x, y: p.y + to.y - block.y });
    return { moves, groups: [] };
  }
  const byId = new Map(placed.map((b) => [b.id, b]));
  return { moves, groups: boxes.groups.map((g) => fitGroup(g, byId, false)) };
}
