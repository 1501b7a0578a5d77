/**
 * Node layout from real (measured) sizes: an overlap check, a small push that makes room when nodes grow or land
 * on each other, a column layout by graph depth (Arrange), and group boxes fitted to what they hold.
 * Pure functions of boxes and links, so the same graph and sizes always give the same positions.
 */

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Space kept between items stacked in a column, and between columns (room for the links). */
export const ROW_GAP = 30;
export const COLUMN_GAP = 70;

/** True when two boxes share area (touching edges is not an overlap). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every overlapping pair, as [id, id] in input order. */
export function findOverlaps(boxes: readonly Box[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i], boxes[j])) out.push([boxes[i].id, boxes[j].id]);
  }
  return out;
}

/**
 * Moves items until none overlaps another, changing as little as it can: items are settled top to bottom
 * (then left to right), and an item that overlaps a settled one moves down below it, or right of it when it
 * already sits mostly to its right and that is the shorter way. Items in `last` settle after all others, so a node just added or pasted moves out of the way
 * instead of pushing the graph around. Returns the new positions of the items that moved.
 * Terminates: an item moves strictly past a settled box's edge and, moving only right or down, never meets it again.
 */
export function pushApart(boxes: readonly Box[], last: ReadonlySet<string> = new Set(), gap = ROW_GAP): Map<string, Point> {
  const order = [...boxes].sort((a, b) => Number(last.has(a.id)) - Number(last.has(b.id)) || a.y - b.y || a.x - b.x || cmp(a.id, b.id));
  const settled: Box[] = [];
  const moved = new Map<string, Point>();
  for (const original of order) {
    const box = { ...original };
    for (;;) {
      const blocker = settled.find((s) => overlaps(s, box));
      if (!blocker) break;
      const down = blocker.y + blocker.height + gap - box.y;
      const right = blocker.x + blocker.width + gap - box.x;
      // A box below the blocker's left half is in its column: it moves down, however far, and the column stays one.
      const beside = box.x >= blocker.x + blocker.width / 2;
      if (!beside || down <= right) box.y += down;
      else box.x += right;
    }
    settled.push(box);
    if (box.x !== original.x || box.y !== original.y) moved.set(box.id, { x: Math.round(box.x), y: Math.round(box.y) });
  }
  return moved;
}

export interface Link {
  source: string;
  target: string;
}

/**
 * Columns by graph depth: a node sits one column right of its deepest input; a node with no inputs sits just left
 * of its first consumer (a Camera Path beside the sampler it steers, not with the loaders). Within a column items
 * keep their current top-to-bottom order and stack with ROW_GAP, the first node level with its nearest inputs;
 * columns are as wide as their widest item.
 * `free` items (notes) join the column their centre lies over. The result starts at the current top-left.
 */
export function arrangeColumns(nodes: readonly Box[], links: readonly Link[], free: readonly Box[] = []): Map<string, Point> {
  const out = new Map<string, Point>();
  if (nodes.length === 0 && free.length === 0) return out;
  const ids = new Set(nodes.map((n) => n.id));
  const inputs = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  for (const l of links) {
    if (!ids.has(l.source) || !ids.has(l.target) || l.source === l.target) continue;
    (inputs.get(l.target) ?? inputs.set(l.target, []).get(l.target)!).push(l.source);
    (consumers.get(l.source) ?? consumers.set(l.source, []).get(l.source)!).push(l.target);
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle (the editor allows drawing one; the engine refuses it): cut it here
    visiting.add(id);
    const d = Math.max(-1, ...(inputs.get(id) ?? []).map(depthOf)) + 1;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const column = new Map<string, number>();
  for (const n of nodes) column.set(n.id, depthOf(n.id));
  for (const n of nodes) {
    const uses = consumers.get(n.id);
    if (!inputs.has(n.id) && uses?.length) column.set(n.id, Math.max(0, Math.min(...uses.map((u) => depthOf(u))) - 1));
  }

  const all = [...nodes, ...free];
  const left = Math.min(...all.map((b) => b.x));
  const top = Math.min(...all.map((b) => b.y));
  const count = Math.max(0, ...column.values()) + 1;
  const columns: Box[][] = Array.from({ length: count }, () => []);
  for (const n of nodes) columns[column.get(n.id)!].push(n);

  // Each note joins the column it was written beside: the rightmost whose nodes start left of its centre.
  const width = (c: Box[]) => Math.max(0, ...c.map((b) => b.width));
  const oldStarts = columns.map((c) => (c.length ? Math.min(...c.map((b) => b.x)) : Infinity));
  for (const f of free) {
    const centre = f.x + f.width / 2;
    let best = 0;
    let bestStart = -Infinity;
    for (let c = 0; c < count; c++) {
      if (oldStarts[c] <= centre && oldStarts[c] > bestStart) [best, bestStart] = [c, oldStarts[c]];
    }
    columns[best].push(f);
  }

  for (let c = 0, x = left; c < count; c++) {
    const items = columns[c].sort((a, b) => a.y - b.y || a.x - b.x || cmp(a.id, b.id));
    // The column's first node lines up with the top of its nearest inputs, so a chain reads as a straight line.
    const first = items.findIndex((b) => column.has(b.id));
    const feeds = first < 0 ? [] : (inputs.get(items[first].id) ?? []);
    const nearest = Math.max(-1, ...feeds.map((id) => column.get(id)!));
    const aligned = Math.min(...feeds.filter((id) => column.get(id) === nearest).map((id) => out.get(id)?.y ?? Infinity));
    const above = items.slice(0, Math.max(0, first)).reduce((h, b) => h + b.height + ROW_GAP, 0);
    let y = Number.isFinite(aligned) ? Math.max(top, aligned - above) : top;
    for (const b of items) {
      out.set(b.id, { x: Math.round(x), y: Math.round(y) });
      y += b.height + ROW_GAP;
    }
    x += width(items) + COLUMN_GAP;
  }
  return out;
}

export interface GroupBox extends Box {
  /** Items the group holds. */
  members: string[];
}

/**
 * Room a group leaves around what it holds (more at the top, for its title). Less than the gaps between items, so
 * a node pushed below a member never lands inside the grown group (and joins it).
 */
export const GROUP_PAD = { side: 20, top: 44, bottom: 20 } as const;

/**
 * A group's box around the real boxes of its members. `grow` keeps what the user sized and only grows it (room made
 * for a node that grew); otherwise the box fits its members exactly (after Arrange). Groups without members stay.
 */
export function fitGroup(group: GroupBox, boxes: ReadonlyMap<string, Box>, grow: boolean): Box {
  const inside = group.members.map((id) => boxes.get(id)).filter((b): b is Box => b !== undefined);
  if (inside.length === 0) return group;
  let x0 = Math.min(...inside.map((b) => b.x)) - GROUP_PAD.side;
  let y0 = Math.min(...inside.map((b) => b.y)) - GROUP_PAD.top;
  let x1 = Math.max(...inside.map((b) => b.x + b.width)) + GROUP_PAD.side;
  let y1 = Math.max(...inside.map((b) => b.y + b.height)) + GROUP_PAD.bottom;
  if (grow) {
    x0 = Math.min(x0, group.x);
    y0 = Math.min(y0, group.y);
    x1 = Math.max(x1, group.x + group.width);
    y1 = Math.max(y1, group.y + group.height);
  }
  return { id: group.id, x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
