import { describe, expect, it } from 'vitest';
import { findOverlaps, fitGroup, GROUP_PAD, overlaps, pushApart, ROW_GAP, type Box } from './layout.js';

const box = (id: string, x: number, y: number, width = 280, height = 100): Box => ({ id, x, y, width, height });
const place = (boxes: Box[], moved: Map<string, { x: number; y: number }>) => boxes.map((b) => ({ ...b, ...moved.get(b.id) }));

describe('overlaps', () => {
  it('counts shared area, not shared edges', () => {
    expect(overlaps(box('a', 0, 0), box('b', 100, 50))).toBe(true);
    expect(overlaps(box('a', 0, 0), box('b', 280, 0))).toBe(false);
    expect(overlaps(box('a', 0, 0), box('b', 0, 100))).toBe(false);
    expect(findOverlaps([box('a', 0, 0), box('b', 0, 50), box('c', 400, 0)])).toEqual([['a', 'b']]);
  });
});

describe('pushApart', () => {
  it('leaves a layout without overlaps as it is', () => {
    expect(pushApart([box('a', 0, 0), box('b', 0, 130), box('c', 350, 0)]).size).toBe(0);
  });

  it('a node that grew pushes the ones below it down its column, and they keep their order', () => {
    const boxes = [box('image', 40, 60, 280, 420), box('model', 40, 360, 280, 150), box('tail', 40, 540, 280, 80), box('next', 390, 60)];
    const moved = pushApart(boxes);
    expect(moved.get('model')).toEqual({ x: 40, y: 60 + 420 + ROW_GAP });
    expect(moved.get('tail')).toEqual({ x: 40, y: 60 + 420 + ROW_GAP + 150 + ROW_GAP });
    expect(moved.has('image')).toBe(false);
    expect(moved.has('next')).toBe(false);
    expect(findOverlaps(place(boxes, moved))).toEqual([]);
  });

  it('moves a box right when that is the shorter way', () => {
    const moved = pushApart([box('wide', 0, 0, 600, 400), box('b', 550, 20, 280, 100)]);
    expect(moved.get('b')).toEqual({ x: 600 + ROW_GAP, y: 20 });
  });

  it('keeps a column a column: a box under a tall one moves down, never sideways, however far', () => {
    const moved = pushApart([box('tall', 390, 0, 280, 900), box('camera', 390, 500, 280, 270)]);
    expect(moved.get('camera')).toEqual({ x: 390, y: 900 + ROW_GAP });
  });

  it('a new node moves out of the way instead of pushing the graph', () => {
    const boxes = [box('old', 0, 100), box('new', 10, 60)];
    expect(pushApart(boxes).get('old')).toBeDefined();
    const moved = pushApart(boxes, new Set(['new']));
    expect(moved.has('old')).toBe(false);
    expect(moved.get('new')).toEqual({ x: 10, y: 100 + 100 + ROW_GAP });
  });

  it('untangles a pile of identical boxes, the same way every time', () => {
    const pile = Array.from({ length: 12 }, (_, i) => box(String(i), (i % 3) * 20, (i % 4) * 15, 200 + i * 7, 90 + i * 11));
    const a = pushApart(pile);
    expect(findOverlaps(place(pile, a))).toEqual([]);
    expect(pushApart([...pile].reverse())).toEqual(a);
  });
});

describe('fitGroup', () => {
  const boxes = new Map([
    ['a', box('a', 100, 100, 280, 300)],
    ['b', box('b', 450, 100, 280, 500)],
  ]);
  it('fits the real boxes of what it holds', () => {
    expect(fitGroup({ ...box('g', 0, 0, 10, 10), members: ['a', 'b'] }, boxes, false)).toEqual({
      id: 'g',
      x: 100 - GROUP_PAD.side,
      y: 100 - GROUP_PAD.top,
      width: 630 + 2 * GROUP_PAD.side,
      height: 500 + GROUP_PAD.top + GROUP_PAD.bottom,
    });
  });
  it('only grows a box the user sized', () => {
    expect(fitGroup({ ...box('g', 0, 0, 2000, 300), members: ['a'] }, boxes, true)).toEqual({
      id: 'g',
      x: 0,
      y: 0,
      width: 2000,
      height: 100 + 300 + GROUP_PAD.bottom,
    });
  });
});
