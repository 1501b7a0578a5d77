import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type Node,
  type NodeChange,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp, useEditor } from '../app-context.js';
import { checkConnection, inputType, outputType } from '../graph/compat.js';
import { connect, disconnect, moveItem, nodesInGroup } from '../graph/node-ops.js';
import { GraphNode } from '../components/graph-node.js';
import { GroupNode, NoteNode } from '../components/group-node.js';
import { buildFlowEdges, buildFlowNodes } from './flow-elements.js';
import { ConnectionLine } from './connection-line.js';
import type { CanvasApi } from './canvas-api.js';
import type { MenuTarget } from '../panels/context-items.js';
import { estimatedFit, LOW_DETAIL_ZOOM, LowDetailContext } from './low-detail.js';
import { useAutoLayout, VIRTUALISED } from './use-auto-layout.js';
import { READABLE_ZOOM, readableFit } from './readable-fit.js';
import type { NodeSchema } from '../api/types.js';
import { NODE_DRAG_MIME } from '../panels/node-library.js';

const MIN_ZOOM = 0.1;

// Defined once, outside components: React Flow re-mounts every node when this object changes.
const nodeTypes = { kg: GraphNode, kgGroup: GroupNode, kgNote: NoteNode };

export interface FlowCanvasProps {
  snap: boolean;
  /** Filled with the canvas helpers the app needs (cursor position, selection override). */
  canvasApi: React.RefObject<CanvasApi | null>;
  /** `onNode`: the node the files were dropped on, if any. */
  onFileDrop: (files: File[], at: { x: number; y: number }, onNode?: string) => void;
  onViewport: (v: { x: number; y: number; zoom: number }) => void;
  onTypeDrop: (schema: NodeSchema, at: { x: number; y: number }) => void;
  /** A right-click on a node, a link or the empty canvas, at a screen point. */
  onContextMenu: (target: MenuTarget, x: number, y: number) => void;
}

/** The graph canvas: React Flow driven by the editor store (the document is the source of truth). */
export function FlowCanvas({ snap, canvasApi, onFileDrop, onViewport, onTypeDrop, onContextMenu }: FlowCanvasProps) {
  const app = useApp();
  const { store, schemas, openSearch, toast } = app;
  const doc = useEditor((s) => s.doc);
  const flow = useReactFlow();
  const [nodes, setNodes] = useState<Node[]>(() => buildFlowNodes(doc, []));
  const [edges, setEdges] = useState<Edge[]>(() => buildFlowEdges(doc, schemas, []));
  const pendingSelect = useRef<Set<string> | null>(null);
  // Fit once on mount when the document brings no viewport (React Flow would re-fit whenever the prop flips).
  const [initialFit] = useState(() => !doc.ui.viewport && Object.keys(doc.nodes).length > 0);
  // Before the first paint, a fit from estimated sizes (React Flow refines it once nodes are measured).
  const [initialViewport] = useState(
    () =>
      doc.ui.viewport ??
      (initialFit
        ? estimatedFit(
            doc,
            (t) => schemas.get(t),
            { width: Math.max(400, innerWidth - 500), height: Math.max(300, innerHeight - 80) },
            (b, w, h) => readableFit(b, w, h),
          )
        : undefined) ?? { x: 0, y: 0, zoom: 0.8 },
  );
  const wrapper = useRef<HTMLDivElement>(null);
  // Level of detail: re-renders only when the zoom crosses the threshold.
  const farOut = useStore((s) => s.transform[2] < LOW_DETAIL_ZOOM);
  const flowStore = useStoreApi();
  // 1/zoom as a CSS variable, written straight to the DOM (no re-render): sketches keep titles and error
  // markers at a readable size on screen however far out the view is.
  useEffect(() => {
    const write = (zoom: number) => wrapper.current?.style.setProperty('--kg-inv-zoom', String(1 / zoom));
    write(flowStore.getState().transform[2]);
    return flowStore.subscribe((st) => write(st.transform[2]));
  }, [flowStore]);
  /** Fits the graph at a readable zoom (see readableFit): a big graph shows its start and scrolls. */
  const fitReadable = useCallback(() => {
    const el = wrapper.current;
    const ns = flow.getNodes();
    if (!el || ns.length === 0) return;
    const v = readableFit(flow.getNodesBounds(ns), el.clientWidth, el.clientHeight);
    void flow.setViewport(v);
  }, [flow]);
  const pointer = useRef({ x: innerWidth / 2, y: innerHeight / 2 });
  const groupDrag = useRef<{ start: { x: number; y: number }; items: Map<string, { x: number; y: number }> } | null>(null);
  const layout = useAutoLayout({ nodes, store, schemaOf: (t) => schemas.get(t), refit: fitReadable, fitOnStart: initialFit });

  useEffect(() => {
    const select = pendingSelect.current ?? undefined;
    pendingSelect.current = null;
    setNodes((prev) => buildFlowNodes(doc, prev, select));
    setEdges((prev) => buildFlowEdges(doc, schemas, select ? prev.map((e) => (e.selected ? { ...e, selected: false } : e)) : prev));
  }, [doc, schemas]);

  useEffect(() => {
    canvasApi.current = {
      cursorFlowPosition: () => flow.screenToFlowPosition(pointer.current),
      centerFlowPosition: () => {
        const el = document.querySelector('.react-flow') as HTMLElement | null;
        const r = el?.getBoundingClientRect();
        return flow.screenToFlowPosition(r ? { x: r.left + r.width / 2, y: r.top + r.height / 3 } : pointer.current);
      },
      selectAfterNextChange: (ids) => {
        pendingSelect.current = new Set(ids);
      },
      selectedIds: () => [...nodes.filter((n) => n.selected).map((n) => n.id)],
      selectedEdges: () => edges.filter((e) => e.selected).map((e) => ({ target: e.target, input: e.targetHandle ?? '' })),
      fitView: () => {
        layout.fitted();
        fitReadable();
      },
      arrange: () => layout.arrange(),
      arrangeOnceMeasured: (ids, always) => layout.arrangeOnceMeasured(ids, always),
      selectAll: () => setNodes((ns) => ns.map((n) => ({ ...n, selected: !n.id.startsWith('group:') }))),
      focusNode: (id, field) => {
        layout.userMoved();
        setNodes((ns) => ns.map((n) => (n.selected !== (n.id === id) ? { ...n, selected: n.id === id } : n)));
        const zoom = Math.max(flow.getZoom(), READABLE_ZOOM);
        const box = layout.boxOf(id);
        if (box) void flow.setCenter(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200), { zoom });
        // Once drawn at that zoom (a sketch has no fields), centre the field itself and hand it the focus.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const row = field ? fieldElement(id, field) : null;
            if (!row) return;
            const r = row.getBoundingClientRect();
            const at = flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
            void flow.setCenter(at.x, at.y, { zoom });
            row.classList.remove('kg-flash');
            void row.offsetWidth;
            row.classList.add('kg-flash');
            row.querySelector<HTMLElement>('input, textarea, select')?.focus({ preventScroll: true });
          }),
        );
      },
      boxOf: (id) => layout.boxOf(id),
    };
  });

  const { sizesChanged } = layout;
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      // Removal goes through the store (one undo step); React Flow only keeps positions while dragging, sizes, selection.
      setNodes((ns) =>
        applyNodeChanges(
          changes.filter((c) => c.type !== 'remove'),
          ns,
        ),
      );
      // New sizes (a node drawn for the first time, or grown by a run's outputs): make room if they now overlap.
      if (changes.some((c) => c.type === 'dimensions' && c.dimensions)) sizesChanged();
    },
    [sizesChanged],
  );
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setEdges((es) =>
      applyEdgeChanges(
        changes.filter((c) => c.type !== 'remove'),
        es,
      ),
    );
  }, []);

  const onNodeDragStart: OnNodeDrag = useCallback(
    (_e, node, dragged) => {
      groupDrag.current = null;
      layout.setDragging(true);
      const groups = dragged.filter((n) => n.id.startsWith('group:'));
      if (groups.length === 0) return;
      const draggedIds = new Set(dragged.map((n) => n.id));
      const items = new Map<string, { x: number; y: number }>();
      for (const g of groups) {
        for (const id of nodesInGroup(store.doc, g.id.slice('group:'.length))) {
          if (draggedIds.has(id)) continue;
          const n = nodes.find((x) => x.id === id);
          if (n) items.set(id, { ...n.position });
        }
      }
      groupDrag.current = { start: { ...node.position }, items };
    },
    [nodes, store, layout],
  );

  const onNodeDrag: OnNodeDrag = useCallback((_e, node) => {
    const gd = groupDrag.current;
    if (!gd || gd.items.size === 0) return;
    const dx = node.position.x - gd.start.x;
    const dy = node.position.y - gd.start.y;
    setNodes((ns) =>
      ns.map((n) => (gd.items.has(n.id) ? { ...n, position: { x: gd.items.get(n.id)!.x + dx, y: gd.items.get(n.id)!.y + dy } } : n)),
    );
  }, []);

  const onNodeDragStop: OnNodeDrag = useCallback(
    (_e, node, dragged) => {
      const gd = groupDrag.current;
      groupDrag.current = null;
      layout.setDragging(false);
      const moves = dragged.map((n) => [n.id, n.position.x, n.position.y] as const);
      if (gd) {
        const dx = node.position.x - gd.start.x;
        const dy = node.position.y - gd.start.y;
        for (const [id, p] of gd.items) moves.push([id, p.x + dx, p.y + dy] as const);
      }
      store.edit(moves.length > 1 ? `Move ${moves.length} items` : 'Move', (d) => {
        for (const [id, x, y] of moves) moveItem(d, id, Math.round(x), Math.round(y));
      });
    },
    [store, layout],
  );

  const isValidConnection = useCallback(
    (c: Edge | Connection) =>
      checkConnection(schemas, store.doc, {
        source: c.source,
        sourceHandle: c.sourceHandle ?? '',
        target: c.target,
        targetHandle: c.targetHandle ?? '',
      }).ok,
    [schemas, store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const conn = { source: c.source, sourceHandle: c.sourceHandle ?? '', target: c.target, targetHandle: c.targetHandle ?? '' };
      const check = checkConnection(schemas, store.doc, conn);
      if (!check.ok) return toast(check.reason, 'error');
      const replacing = store.doc.nodes[conn.target]?.inputs[conn.targetHandle];
      store.edit(replacing ? 'Replace link' : 'Connect', (d) => connect(d, conn.source, conn.sourceHandle, conn.target, conn.targetHandle));
    },
    [schemas, store, toast],
  );

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, st: FinalConnectionState) => {
      if (!st.fromHandle || !st.fromNode) return;
      const from = st.fromHandle;
      if (st.toHandle && st.isValid === false) {
        const src = from.type === 'source' ? { n: from.nodeId, h: from.id } : { n: st.toHandle.nodeId, h: st.toHandle.id };
        const dst = from.type === 'source' ? { n: st.toHandle.nodeId, h: st.toHandle.id } : { n: from.nodeId, h: from.id };
        const check = checkConnection(schemas, store.doc, {
          source: src.n,
          sourceHandle: src.h ?? '',
          target: dst.n,
          targetHandle: dst.h ?? '',
        });
        toast(check.ok ? 'That link is not allowed' : check.reason, 'error');
        return;
      }
      if (st.toHandle) return;
      const target = event.target as Element | null;
      if (!target?.closest('.react-flow__pane')) return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      const at = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
      const handle = from.id ?? '';
      const type =
        from.type === 'source' ? outputType(schemas, store.doc, from.nodeId, handle) : inputType(schemas, store.doc, from.nodeId, handle);
      if (!type) return;
      openSearch({ at, from: { nodeId: from.nodeId, handle, handleType: from.type, type } });
    },
    [flow, openSearch, schemas, store, toast],
  );

  const onReconnect = useCallback(
    (old: Edge, c: Connection) => {
      const conn = { source: c.source, sourceHandle: c.sourceHandle ?? '', target: c.target, targetHandle: c.targetHandle ?? '' };
      const check = checkConnection(schemas, store.doc, conn);
      if (!check.ok) return toast(check.reason, 'error');
      store.edit('Move link', (d) => {
        disconnect(d, old.target, old.targetHandle ?? '');
        connect(d, conn.source, conn.sourceHandle, conn.target, conn.targetHandle);
      });
    },
    [schemas, store, toast],
  );

  const onDoubleClick = useCallback(
    (e: React.MouseEvent) => {
      if (!(e.target as Element).classList.contains('react-flow__pane')) return;
      openSearch({ at: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
    },
    [flow, openSearch],
  );

  return (
    <div
      ref={wrapper}
      className={'kg-canvas' + (farOut ? ' kg-lod-low' : '')}
      data-testid="canvas"
      onPointerMove={(e) => (pointer.current = { x: e.clientX, y: e.clientY })}
      onDoubleClick={onDoubleClick}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files') || e.dataTransfer.types.includes(NODE_DRAG_MIME)) e.preventDefault();
      }}
      onDrop={(e) => {
        const type = e.dataTransfer.getData(NODE_DRAG_MIME);
        const schema = type ? schemas.get(type) : undefined;
        if (schema) {
          e.preventDefault();
          return onTypeDrop(schema, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
        }
        const files = [...e.dataTransfer.files];
        if (files.length === 0) return;
        e.preventDefault();
        const onNode = (e.target as Element).closest<HTMLElement>('.react-flow__node-kg')?.dataset.id;
        onFileDrop(files, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }), onNode);
      }}
    >
      <LowDetailContext.Provider value={farOut}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDrag={onNodeDrag}
          onNodeDragStop={onNodeDragStop}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          onReconnect={onReconnect}
          onNodeContextMenu={(e, n) => {
            e.preventDefault();
            if (n.id.startsWith('group:') || n.id.startsWith('note:')) return;
            // A right-click on an unselected node acts on that node alone.
            if (!n.selected) setNodes((ns) => ns.map((x) => (x.selected !== (x.id === n.id) ? { ...x, selected: x.id === n.id } : x)));
            onContextMenu({ kind: 'node', id: n.id }, e.clientX, e.clientY);
          }}
          onEdgeContextMenu={(e, edge) => {
            e.preventDefault();
            onContextMenu(
              {
                kind: 'edge',
                target: edge.target,
                input: edge.targetHandle ?? '',
                at: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }),
              },
              e.clientX,
              e.clientY,
            );
          }}
          onPaneContextMenu={(e) => {
            e.preventDefault();
            onContextMenu({ kind: 'pane', at: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) }, e.clientX, e.clientY);
          }}
          isValidConnection={isValidConnection}
          connectionLineComponent={ConnectionLine}
          connectionRadius={24}
          deleteKeyCode={null}
          zoomOnDoubleClick={false}
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          selectionKeyCode="Shift"
          snapToGrid={snap}
          snapGrid={[20, 20]}
          minZoom={MIN_ZOOM}
          maxZoom={2.5}
          defaultViewport={initialViewport}
          // Virtualise only big graphs: a small one keeps every node in the DOM (measured, findable, no pop-in).
          onlyRenderVisibleElements={nodes.length > VIRTUALISED}
          onMoveStart={(e) => e && layout.userMoved()}
          onMoveEnd={(_e, viewport) => onViewport(viewport)}
          colorMode="dark"
          proOptions={{ hideAttribution: true }}
        >
          {!farOut && <Background variant={snap ? BackgroundVariant.Lines : BackgroundVariant.Dots} gap={20} />}
          <MiniMap
            pannable
            zoomable
            style={{ width: 150, height: 100 }}
            nodeStrokeWidth={2}
            nodeColor={(n) => (n.id.startsWith('group:') ? '#2a2f3a' : n.id.startsWith('note:') ? '#6b6b3b' : '#55607a')}
          />
          <Controls showInteractive={false} showFitView={false}>
            {/* React Flow's own fit would zoom below the readable zoom: this one scrolls instead. */}
            <ControlButton onClick={() => (layout.fitted(), fitReadable())} title="Fit view (readable)" aria-label="fit view">
              <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
                <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" />
              </svg>
            </ControlButton>
          </Controls>
        </ReactFlow>
      </LowDetailContext.Provider>
    </div>
  );
}

/** A node's row for a param or an input socket. */
function fieldElement(nodeId: string, field: string): HTMLElement | null {
  const node = document.querySelector(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`);
  const name = CSS.escape(field.split('.')[0]!);
  return node?.querySelector<HTMLElement>(`[data-param-row="${name}"], [data-input="${name}"]`) ?? null;
}
