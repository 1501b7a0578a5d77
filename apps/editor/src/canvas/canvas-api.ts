/** What the app asks of the canvas (it owns React Flow's viewport and live selection). */
export interface CanvasApi {
  /** The last pointer position on the canvas, in flow coordinates (where Enter inserts a node). */
  cursorFlowPosition(): { x: number; y: number };
  centerFlowPosition(): { x: number; y: number };
  /** The next document change replaces the selection with these ids (a paste selects what it pasted). */
  selectAfterNextChange(ids: string[]): void;
  selectedIds(): string[];
  selectedEdges(): { target: string; input: string }[];
  fitView(): void;
  /** Lays the graph out by dagre from measured sizes (one undo step). */
  arrange(): void;
  /**
   * After an open or a paste: once drawn, the graph (or the pasted `ids`) is arranged if `always` (items came without
   * a position) or if its measured boxes overlap; good positions are kept.
   */
  arrangeOnceMeasured(ids: readonly string[] | undefined, always: boolean): void;
  /** An item's real (measured) box in flow coordinates. */
  boxOf(id: string): { x: number; y: number; width: number; height: number } | undefined;
  /** Selects a node and brings it (and the named field, when given) to the middle of the view at a readable zoom. */
  focusNode(id: string, field?: string): void;
  /** Selects every node and note (not groups, which would drag everything twice). */
  selectAll(): void;
}
