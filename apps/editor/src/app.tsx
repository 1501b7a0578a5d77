import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ModelInfo, NodeSchema, Workflow } from './api/types.js';
import { api } from './api/client.js';
import { connectSocket } from './api/ws-client.js';
import { createActions } from './app-actions.js';
import { AppContext, type AppServices, type SearchRequest } from './app-context.js';
import type { CanvasApi } from './canvas/canvas-api.js';
import { FlowCanvas } from './canvas/flow-canvas.js';
import { useShortcuts } from './canvas/use-shortcuts.js';
import { MissingBanner } from './panels/missing-banner.js';
import { NodeLibrary } from './panels/node-library.js';
import { NodeSearch } from './panels/node-search.js';
import { RunPanels } from './panels/run-panels.js';
import { StatusBar } from './panels/status-bar.js';
import { Toasts, useToasts } from './panels/toasts.js';
import { Toolbar } from './panels/toolbar.js';
import { ContextMenu } from './panels/context-menu.js';
import { contextItems, type MenuTarget } from './panels/context-items.js';
import { ShortcutSheet } from './panels/shortcut-sheet.js';
import { PreviewDock } from './preview/preview-dock.js';
import { SweepRunOptions } from './sweep/sweep-run-options.js';
import { TemplatesBrowser } from './panels/templates.js';
import { unwrapWorkflow } from './boot.js';
import { startAutosave } from './store/autosave.js';
import { EditorStore } from './store/editor-store.js';
import { RunStore } from './store/run-store.js';
import { ownRunsOfThisTab } from './store/own-runs.js';
import { issueStands } from './store/stale-issues.js';
import { REROUTE_SCHEMA } from './graph/reroute.js';

interface AppProps {
  schemas: NodeSchema[];
  models: ModelInfo[];
  doc: Workflow;
  /** This tab's autosave slot (two tabs never share one). */
  slot: string;
  notice?: string;
}

const SNAP_KEY = 'kinegraph.snap';

export function App(props: AppProps) {
  return (
    <ReactFlowProvider>
      <Workspace {...props} />
    </ReactFlowProvider>
  );
}

function Workspace({ schemas: serverSchemas, models: initialModels, doc, slot, notice }: AppProps) {
  // The runtime's node types, and the editor's reroute (the engine passes it through).
  const schemaList = useMemo(() => [...serverSchemas.filter((s) => s.type !== REROUTE_SCHEMA.type), REROUTE_SCHEMA], [serverSchemas]);
  const store = useMemo(() => new EditorStore(doc), [doc]);
  const runs = useMemo(() => ownRunsOfThisTab(new RunStore()), []);
  const schemas = useMemo(() => new Map(schemaList.map((s) => [s.type, s])), [schemaList]);
  const [models, setModels] = useState(initialModels);
  const canvas = useRef<CanvasApi | null>(null);
  const [search, setSearch] = useState<SearchRequest | null>(null);
  const [sheet, setSheet] = useState(false);
  const [templates, setTemplates] = useState(false);
  const [menu, setMenu] = useState<{ x: number; y: number; target: MenuTarget } | null>(null);
  const closeSheet = useCallback(() => setSheet(false), []);
  const closeTemplates = useCallback(() => setTemplates(false), []);
  const [snap, setSnap] = useState(() => localStorage.getItem(SNAP_KEY) === '1');
  const [batch, setBatch] = useState(1);
  const [historyTick, setHistoryTick] = useState(0);
  const { toasts, toast, dismiss } = useToasts();
  const clientId = useMemo(() => Math.random().toString(36).slice(2), []);

  const actions = useMemo(() => createActions({ store, runs, schemas, canvas, toast, clientId }), [store, runs, schemas, toast, clientId]);

  useEffect(() => startAutosave(store, slot), [store, slot]);
  // An edit to what an error is about clears it at once (Run checks everything again).
  useEffect(() => {
    let prev = store.doc;
    return store.subscribe(() => {
      const next = store.doc;
      if (next === prev) return;
      const before = prev;
      prev = next;
      if (runs.getGlobal().problems.length) runs.dropIssues((i) => issueStands(i, before, next));
    });
  }, [store, runs]);
  useEffect(() => connectSocket(runs, () => setHistoryTick((t) => t + 1)), [runs]);
  useEffect(() => {
    if (notice) toast(notice, 'error');
  }, [notice, toast]);
  useEffect(() => localStorage.setItem(SNAP_KEY, snap ? '1' : '0'), [snap]);
  // Models can be installed while the editor is open: refresh the list when a run ends.
  useEffect(() => {
    if (historyTick > 0) void api.models().then(setModels, () => undefined);
  }, [historyTick]);

  const openSearch = useCallback((req: SearchRequest = {}) => setSearch(req), []);
  const services: AppServices = useMemo(
    () => ({ store, runs, schemas, schemaList, models, openSearch, toast, uploadFile: actions.uploadFile, toggleMode: actions.toggleMode }),
    [store, runs, schemas, schemaList, models, openSearch, toast, actions],
  );

  // A batch is a one-off: once queued, the count goes back to 1 (the next Run is a single run again).
  const runBatch = (front = false) => {
    void actions.run(batch, front).then((queued) => queued.length > 0 && batch > 1 && setBatch(1));
  };

  useShortcuts({
    store,
    actions,
    openSearch: () => openSearch({ at: canvas.current?.cursorFlowPosition() }),
    run: (front) => void runBatch(front),
    searchOpen: search !== null,
    toggleSheet: () => setSheet((v) => !v),
  });

  const onViewport = useCallback((v: { x: number; y: number; zoom: number }) => store.setViewport(v), [store]);

  return (
    <AppContext.Provider value={services}>
      <div className="kg-app">
        <Toolbar
          actions={actions}
          run={() => runBatch()}
          batch={batch}
          setBatch={setBatch}
          snap={snap}
          setSnap={setSnap}
          fitView={() => canvas.current?.fitView()}
          openSearch={() => openSearch({ at: canvas.current?.centerFlowPosition() })}
          openTemplates={() => setTemplates(true)}
          openShortcuts={() => setSheet(true)}
        />
        <div className="kg-main">
          <NodeLibrary onInsert={(s) => actions.insertNode(s, { at: canvas.current?.centerFlowPosition() })} />
          <div className="kg-canvas-wrap">
            <FlowCanvas
              snap={snap}
              canvasApi={canvas}
              onFileDrop={(files, at, onNode) => void actions.dropFiles(files, at, onNode)}
              onViewport={onViewport}
              onTypeDrop={(s, at) => actions.insertNode(s, { at })}
              onContextMenu={(target, x, y) => setMenu({ target, x, y })}
            />
            <MissingBanner onReplace={(id) => openSearch({ replace: id })} />
            <Toasts toasts={toasts} dismiss={dismiss} />
            <PreviewDock />
            <SweepRunOptions />
          </div>
          <RunPanels actions={actions} refreshKey={historyTick} onProblem={(nodeId, field) => canvas.current?.focusNode(nodeId, field)} />
        </div>
        <StatusBar />
        {menu && (
          <ContextMenu
            x={menu.x}
            y={menu.y}
            label={menu.target.kind === 'node' ? 'Node menu' : menu.target.kind === 'edge' ? 'Link menu' : 'Canvas menu'}
            onClose={() => setMenu(null)}
            items={contextItems(menu.target, {
              store,
              actions,
              openSearch: (at) => openSearch({ at }),
              selectedIds: () => canvas.current?.selectedIds() ?? [],
            })}
          />
        )}
        {sheet && <ShortcutSheet onClose={closeSheet} />}
        {templates && (
          <TemplatesBrowser
            onClose={closeTemplates}
            onPick={(name) => {
              setTemplates(false);
              void api.workflow(name).then(
                (w) => actions.loadDocument(unwrapWorkflow(w), `Open template ${name}`),
                (e) => toast(`Could not open ${name}: ${(e as Error).message}`, 'error'),
              );
            }}
          />
        )}
        {search && (
          <NodeSearch
            request={search}
            onClose={() => setSearch(null)}
            onPick={(schema) => {
              const req = search;
              setSearch(null);
              actions.insertNode(schema, req);
            }}
          />
        )}
      </div>
    </AppContext.Provider>
  );
}
