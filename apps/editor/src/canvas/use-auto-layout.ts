import type { Node } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NodeSchema } from '../api/types.js';
import { moveItem } from '../graph/node-ops.js';
import type { EditorStore } from '../store/editor-store.js';
import { arrangeLayered } from './arrange-layered.js';
import { findOverlaps, fitGroup, pushApart, type Box, type Point } from './layout.js';
import { canvasBoxes, docLinks } from './measured-boxes.js';

interface AutoLayoutDeps {
  nodes: readonly Node[];
  store: EditorStore;
  schemaOf: (type: string) => NodeSchema | undefined;
  /** Fits the view again (after the first measurement of a freshly loaded graph moved it). */
  refit: () => void;
  /** The canvas opened with a fit to the graph (no saved view). */
  fitOnStart: boolean;
}

export interface AutoLayout {
  /** Call when React Flow reports new node sizes. */
  sizesChanged(): void;
  /** A drag is under way: leave positions alone until it ends. */
  setDragging(on: boolean): void;
  /** The view was just fitted to a (maybe new) graph: fit again once all of it is measured and has room. */
  fitted(): void;
  /** The user moved the view: a pending refit is dropped. */
  userMoved(): void;
  /** A layered layout (dagre) from measured sizes, one undo step. */
  arrange(): void;
  /** An item's real box in flow coordinates. */
  boxOf(id: string): Box | undefined;
}

/**
 * Keeps the canvas free of overlaps from real sizes: whenever nodes are measured (a load, a node that grew with a
 * run's previews and outputs, a paste), overlapping items are pushed apart and groups grow around what they hold.
 * Positions the user chose stay as they are while nothing overlaps. These moves follow from content, so they are
 * not undo steps.
 */
export function useAutoLayout({ nodes, store, schemaOf, refit, fitOnStart }: AutoLayoutDeps): AutoLayout {
  const latest = useRef({ nodes, schemaOf, refit });
  latest.current = { nodes, schemaOf, refit };
  const [tick, setTick] = useState(0);
  const dragging = useRef(false);
  const known = useRef(new Set<string>());
  // A fit asked for before the graph was measured (a load fits the old nodes' bounds) is redone once it is.
  const refitPending = useRef(fitOnStart);

  useEffect(() => {
    if (tick === 0 || dragging.current) return;
    const { nodes: flowNodes, schemaOf: schemas, refit: fit } = latest.current;
    const doc = store.doc;
    const boxes = canvasBoxes(flowNodes, doc, schemas);
    const items = [...boxes.nodes, ...boxes.notes];
    // Items not seen at the last check were just added or pasted: they give way to what was there.
    const fresh = new Set(known.current.size ? items.filter((b) => !known.current.has(b.id)).map((b) => b.id) : []);
    known.current = new Set(items.map((b) => b.id));
    const moved: Map<string, Point> = findOverlaps(items).length ? pushApart(items, fresh) : new Map();
    const placed = new Map(items.map((b) => [b.id, { ...b, ...moved.get(b.id) }]));
    const groups = boxes.groups.map((g) => fitGroup(g, placed, true)).filter((g, i) => !sameBox(g, boxes.groups[i]));
    const refit = () => {
      if (!refitPending.current) return;
      if (boxes.allMeasured) refitPending.current = false;
      requestAnimationFrame(() => fit());
    };
    if (moved.size === 0 && groups.length === 0) return refit();
    store.edit(
      'Make room',
      (d) => {
        for (const [id, p] of moved) moveItem(d, id, p.x, p.y);
        for (const g of groups) {
          const target = d.ui.groups.find((x) => 'group:' + x.id === g.id);
          if (target) Object.assign(target, { x: g.x, y: g.y, width: g.width, height: g.height });
        }
      },
      false,
    );
    refit();
  }, [tick, store]);

  const sizesChanged = useCallback(() => setTick((t) => t + 1), []);
  const setDragging = useCallback((on: boolean) => {
    dragging.current = on;
  }, []);
  const fitted = useCallback(() => {
    refitPending.current = true;
    known.current = new Set();
    setTick((t) => t + 1);
  }, []);
  const userMoved = useCallback(() => {
    refitPending.current = false;
  }, []);
  const arrange = useCallback(() => {
    const { nodes: flowNodes, schemaOf: schemas, refit: fit } = latest.current;
    const doc = store.doc;
    const boxes = canvasBoxes(flowNodes, doc, schemas);
    const at = arrangeLayered(boxes.nodes, docLinks(doc), boxes.notes);
    const placed = new Map([...boxes.nodes, ...boxes.notes].map((b) => [b.id, { ...b, ...at.get(b.id) }]));
    store.edit('Arrange', (d) => {
      for (const [id, p] of at) moveItem(d, id, p.x, p.y);
      for (const g of boxes.groups) {
        const fit = fitGroup(g, placed, false);
        const target = d.ui.groups.find((x) => 'group:' + x.id === g.id);
        if (target) Object.assign(target, { x: fit.x, y: fit.y, width: fit.width, height: fit.height });
      }
    });
    requestAnimationFrame(() => fit());
  }, [store]);
  const boxOf = useCallback(
    (id: string) => {
      const { nodes: flowNodes, schemaOf: schemas } = latest.current;
      const boxes = canvasBoxes(flowNodes, store.doc, schemas);
      return [...boxes.nodes, ...boxes.notes].find((b) => b.id === id);
    },
    [store],
  );
  return useMemo(
    () => ({ sizesChanged, setDragging, fitted, userMoved, arrange, boxOf }),
    [sizesChanged, setDragging, fitted, userMoved, arrange, boxOf],
  );
}

function sameBox(a: Box, b: Box): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}
