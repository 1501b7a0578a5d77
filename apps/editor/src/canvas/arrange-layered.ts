import dagre from '@dagrejs/dagre';
import { COLUMN_GAP, pushApart, ROW_GAP, type Box, type Link, type Point } from './layout.js';

/**
 * Arrange: a layered left-to-right layout by dagre (the Sugiyama method: ranks by network simplex, so a
 * source such as a Camera Path sits just left of the node it feeds, not with the loaders; crossings reduced;
 * cycles broken), from the items' real (measured) sizes. Notes keep their place beside the node they sat
 * nearest to. The result starts at the graph's current top-left; the same graph and sizes always give the
 * same positions (items go in sorted by place, then id).
 */
export function arrangeLayered(nodes: readonly Box[], links: readonly Link[], free: readonly Box[] = []): Map<string, Point> {
  const out = new Map<string, Point>();
  if (nodes.length === 0 && free.length === 0) return out;
  const all = [...nodes, ...free];
  const left = Math.min(...all.map((b) => b.x));
  const top = Math.min(...all.map((b) => b.y));
  if (nodes.length === 0) return out;

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: ROW_GAP, ranksep: COLUMN_GAP, ranker: 'network-simplex' });
  g.setDefaultEdgeLabel(() => ({}));
  const order = [...nodes].sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const n of order) g.setNode(n.id, { width: n.width, height: n.height });
  const ids = new Set(nodes.map((n) => n.id));
  for (const l of links) if (ids.has(l.source) && ids.has(l.target) && l.source !== l.target) g.setEdge(l.source, l.target);
  dagre.layout(g);

  let minX = Infinity;
  let minY = Infinity;
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number };
    const at = { x: p.x - n.width / 2, y: p.y - n.height / 2 };
    out.set(n.id, at);
    minX = Math.min(minX, at.x);
    minY = Math.min(minY, at.y);
  }
  // Each note keeps its offset from the node it was nearest to.
  const centre = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
  const notes = free.map((f) => {
    const c = centre(f);
    let anchor = nodes[0]!;
    let best = Infinity;
    for (const n of nodes) {
      const d = Math.hypot(centre(n).x - c.x, centre(n).y - c.y);
      if (d < best) [anchor, best] = [n, d];
    }
    const a = out.get(anchor.id)!;
    const at = { x: a.x + (f.x - anchor.x), y: a.y + (f.y - anchor.y) };
    minX = Math.min(minX, at.x);
    minY = Math.min(minY, at.y);
    return { ...f, ...at };
  });
  for (const n of notes) out.set(n.id, { x: n.x, y: n.y });
  for (const [id, p] of out) out.set(id, { x: Math.round(p.x - minX + left), y: Math.round(p.y - minY + top) });

  // A note that now lands on a node gives way (nodes stay where the layout put them).
  const boxes = all.map((b) => ({ ...b, ...out.get(b.id)! }));
  for (const [id, p] of pushApart(boxes, new Set(free.map((f) => f.id)))) out.set(id, p);
  return out;
}
