import type { Node } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Draft } from 'immer';
import type { NodeSchema, Workflow } from '../api/types.js';
import { moveItem } from '../graph/node-ops.js';
import type { EditorStore } from '../store/editor-store.js';
import { arrangeOffThread } from './arrange-off-thread.js';
import { arrangedPositions, type Arranged } from './arranged.js';
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
  /**
   * An opened or pasted graph: once its items (`ids`; all of the document when not given) are drawn and measured,
   * they are laid out by Arrange if `always` (some came without a position) or if their boxes overlap; a graph
   * whose positions leave every box free is left as it is. Pasted items are then moved as one block out of the way
   * of what was there.
   */
  arrangeOnceMeasured(ids: readonly string[] | undefined, always: boolean): void;
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
  const arranging = useRef(false);
  const arrangeNext = useRef<{ ids?: ReadonlySet<string>; always: boolean; until: number } | null>(null);

  useEffect(() => {
    if (tick === 0 || dragging.current || arranging.current) return;
    const { nodes: flowNodes, schemaOf: schemas, refit: fit } = latest.current;
    const doc = store.doc;
    const boxes = canvasBoxes(flowNodes, doc, schemas);
    const items = [...boxes.nodes, ...boxes.notes];
    const refit = () => {
      if (!refitPending.current) return;
      if (boxes.allMeasured) refitPending.current = false;
      requestAnimationFrame(() => fit());
    };
    const pending = arrangeNext.current;
    if (pending) {
      const scope = pending.ids ?? new Set([...Object.keys(doc.nodes), ...doc.ui.notes.map((n) => 'note:' + n.id)]);
      const inScope = items.filter((b) => scope.has(b.id));
      // Measured sizes decide; a big graph draws only what is in view, so it goes by its estimates.
      const drawn =
        inScope.length === scope.size && inScope.every((b) => sameSpot(b, doc)) && (boxes.allMeasured || flowNodes.length > VIRTUALISED);
      if (!drawn && performance.now() < pending.until) return;
      arrangeNext.current = null;
      if (pending.always || findOverlaps(inScope).length) {
        const apply = (at: Arranged) => {
          store.edit('Arrange', (d) => applyArranged(d, at), false);
          known.current = new Set(items.map((b) => b.id));
          refit();
        };
        const links = docLinks(doc);
        if (inScope.length <= OFF_THREAD_ABOVE) return apply(arrangedPositions(boxes, links, pending.ids));
        // A big graph: laid out in a worker; meanwhile nothing else moves, and an edit to the graph cancels it.
        arranging.current = true;
        void arrangeOffThread(boxes, links, pending.ids).then((at) => {
          arranging.current = false;
          if (store.doc.nodes !== doc.nodes) return setTick((t) => t + 1);
          // Applied outside React's commit: the fit waits until the canvas shows the new positions.
          fitWhenShown.current = refitPending.current;
          refitPending.current = false;
          apply(at);
        });
        return;
      }
    }
    // Items not seen at the last check were just added or pasted: they give way to what was there.
    const fresh = new Set(known.current.size ? items.filter((b) => !known.current.has(b.id)).map((b) => b.id) : []);
    known.current = new Set(items.map((b) => b.id));
    const moved: Map<string, Point> = findOverlaps(items).length ? pushApart(items, fresh) : new Map();
    const placed = new Map(items.map((b) => [b.id, { ...b, ...moved.get(b.id) }]));
    const groups = boxes.groups.map((g) => fitGroup(g, placed, true)).filter((g, i) => !sameBox(g, boxes.groups[i]));
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

  const fitWhenShown = useRef(false);
  useEffect(() => {
    if (!fitWhenShown.current) return;
    const doc = store.doc;
    const items = nodes.filter((n) => n.type !== 'kgGroup');
    if (!items.every((n) => sameSpot({ id: n.id, ...n.position, width: 0, height: 0 }, doc))) return;
    fitWhenShown.current = false;
    requestAnimationFrame(() => latest.current.refit());
  }, [nodes, store]);

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
    const at = arrangedPositions(canvasBoxes(flowNodes, doc, schemas), docLinks(doc));
    store.edit('Arrange', (d) => applyArranged(d, at));
    requestAnimationFrame(() => fit());
  }, [store]);
  const arrangeOnceMeasured = useCallback((ids: readonly string[] | undefined, always: boolean) => {
    arrangeNext.current = { ids: ids && new Set(ids), always, until: performance.now() + ARRANGE_WAIT_MS };
    setTick((t) => t + 1);
  }, []);
  const boxOf = useCallback(
    (id: string) => {
      const { nodes: flowNodes, schemaOf: schemas } = latest.current;
      const boxes = canvasBoxes(flowNodes, store.doc, schemas);
      return [...boxes.nodes, ...boxes.notes].find((b) => b.id === id);
    },
    [store],
  );
  return useMemo(
    () => ({ sizesChanged, setDragging, fitted, userMoved, arrange, arrangeOnceMeasured, boxOf }),
    [sizesChanged, setDragging, fitted, userMoved, arrange, arrangeOnceMeasured, boxOf],
  );
}

/** Above this many nodes the canvas draws only those in view (flow-canvas's onlyRenderVisibleElements). */
export const VIRTUALISED = 150;
/** An opened graph with more items than this is arranged in a worker (dagre: about a second for 300 nodes). */
const OFF_THREAD_ABOVE = 80;
/** How long an opened graph may take to be drawn before it is arranged from estimated sizes. */
const ARRANGE_WAIT_MS = 3000;

function applyArranged(d: Draft<Workflow>, { moves, groups }: Arranged): void {
  for (const [id, p] of moves) moveItem(d, id, p.x, p.y);
  for (const g of groups) {
    const target = d.ui.groups.find((x) => 'group:' + x.id === g.id);
    if (target) Object.assign(target, { x: g.x, y: g.y, width: g.width, height: g.height });
  }
}

/** The canvas shows the item where the document has it (not a previous document's node of the same id). */
function sameSpot(b: Box, doc: Workflow): boolean {
  const at = b.id.startsWith('note:') ? doc.ui.notes.find((n) => 'note:' + n.id === b.id) : doc.ui.nodes[b.id];
  return at !== undefined && at.x === b.x && at.y === b.y;
}

function sameBox(a: Box, b: Box): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}
