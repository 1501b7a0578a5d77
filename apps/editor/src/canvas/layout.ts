/**
 * Node layout from real (measured) sizes: an overlap check, a small push that makes room when nodes grow or land
 * on each other, and group boxes fitted to what they hold (Arrange itself: arrange-layered.ts, by dagre).
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
