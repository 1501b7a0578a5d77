import { describe, expect, it } from 'vitest';
import { arrangeLayered } from './arrange-layered.js';
import { findOverlaps, type Box } from './layout.js';

const box = (id: string, x: number, y: number, width = 280, height = 120): Box => ({ id, x, y, width, height });

describe('arrangeLayered (dagre)', () => {
  // The default workflow's shape, with the sizes the editor measures.
  const nodes = [
    box('image', 40, 60, 280, 314),
    box('model', 40, 360, 280, 155),
    box('encode', 380, 60, 280, 323),
    box('prompt', 380, 330, 280, 151),
    box('negative', 380, 560, 280, 151),
    box('camera', 380, 790, 280, 271),
    box('denoise', 760, 200, 280, 575),
    box('decode', 1100, 200, 280, 86),
    box('save', 1400, 200, 280, 228),
  ];
  const links = [
    ['model', 'encode'],
    ['image', 'encode'],
    ['model', 'prompt'],
    ['model', 'negative'],
    ['model', 'denoise'],
    ['encode', 'denoise'],
    ['prompt', 'denoise'],
    ['negative', 'denoise'],
    ['camera', 'denoise'],
    ['model', 'decode'],
    ['denoise', 'decode'],
    ['decode', 'save'],
  ].map(([source, target]) => ({ source, target }));
  const note = box('note:tip', 760, 20, 220, 97);

  it('lays links left to right by depth, a source beside the node it feeds, nothing overlapping', () => {
    const at = arrangeLayered(nodes, links, [note]);
    expect(at.size).toBe(nodes.length + 1);
    const x = (id: string) => at.get(id)!.x;
    for (const { source, target } of links) expect(x(source)).toBeLessThan(x(target));
    // The camera feeds only Denoise: it sits in the column just before it, not with the loaders.
    expect(x('camera')).toBeGreaterThan(x('model'));
    expect(x('camera')).toBe(x('encode'));
    // The graph starts where it was.
    expect(Math.min(...[...at.values()].map((p) => p.x))).toBe(40);
    expect(Math.min(...[...at.values()].map((p) => p.y))).toBe(20);
    const placed = [...nodes, note].map((b) => ({ ...b, ...at.get(b.id) }));
    expect(findOverlaps(placed)).toEqual([]);
    // Deterministic.
    expect(arrangeLayered(nodes, links, [note])).toEqual(at);
  });

  it('survives a cycle and lone nodes', () => {
    const items = [box('a', 0, 0), box('b', 0, 200), box('lone', 500, 0)];
    const at = arrangeLayered(items, [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
    ]);
    expect(at.size).toBe(3);
    expect(findOverlaps(items.map((b) => ({ ...b, ...at.get(b.id) })))).toEqual([]);
  });
});
