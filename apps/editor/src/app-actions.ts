import { api, ApiError } from './api/client.js';
import type { NodeSchema } from './api/types.js';
import type { SearchRequest } from './app-context.js';
import type { CanvasApi } from './canvas/canvas-api.js';
import { checkConnection, socketsCompatible, type SchemaMap } from './graph/compat.js';
import { addNode, connect, copyItems, disconnect, pasteClip, removeItems, uid, type Clip } from './graph/node-ops.js';
import { fitGroup } from './canvas/layout.js';
import { applySeedModes } from './run/seed-after-run.js';
import type { EditorStore } from './store/editor-store.js';
import { emptyWorkflow, normalizeWorkflow } from './store/empty-workflow.js';
import type { RunStore } from './store/run-store.js';
import { rememberOwnRuns } from './store/own-runs.js';
import { downloadWorkflow, isWorkflowFile, readJsonFile } from './files/workflow-files.js';
import { planFor } from './sweep/sweep-plan.js';
import { sweepStore } from './sweep/sweep-store.js';

export type Toast = (text: string, kind?: 'error' | 'info') => void;

export interface ActionDeps {
  store: EditorStore;
  runs: RunStore;
  schemas: SchemaMap;
  canvas: { current: CanvasApi | null };
  toast: Toast;
  clientId: string;
}

const CLIP_KEY = 'kinegraph.clipboard';

/** Everything the toolbar, shortcuts and drops do, in one place (components only call these). */
export function createActions(deps: ActionDeps) {
  const { store, runs, schemas, canvas, toast } = deps;
  let clip: Clip | null = null;

  const actions = {
    /** Replaces the document (one undo step) and fits the view; what is missing shows in the missing-items banner. */
    loadDocument(input: unknown, label = 'Open workflow') {
      const doc = normalizeWorkflow(input);
      store.load(doc, label);
      runs.resetNodes();
      runs.clearIssues();
      requestAnimationFrame(() => canvas.current?.fitView());
    },

    /** An empty canvas (undoable, like any load). */
    newWorkflow() {
      store.load(emptyWorkflow(), 'New workflow');
      runs.resetNodes();
      runs.clearIssues();
    },

    /** Queues the workflow `batch` times; `front`: ahead of what is queued (Ctrl+Shift+Enter). */
    async run(batch = 1, front = false) {
      const doc = store.doc;
      runs.clearIssues();
      // Sweeps and for-each set in the editor: one run per variant, expanded by the server (POST /api/runs).
      const plan = planFor(doc, schemas, sweepStore.getState());
      if (!plan.ok) {
        toast(`Not queued: sweep ${plan.message}`, 'error');
        return [];
      }
      try {
        const res = await api.submit(doc, { batch, clientId: deps.clientId, ...(front ? { front } : {}), ...plan.body });
        rememberOwnRuns(runs, res.runs.map((r) => r.runId));
        if (plan.count > 1) sweepStore.submitted(res.runs.map((r) => r.runId), sweepStore.getState().grid);
        const where = front ? ' ahead of the queue' : '';
        toast(res.runs.length > 1 ? `Queued ${res.runs.length} runs${where}` : `Queued run ${res.runs[0]?.runId ?? ''}${where}`, 'info');
        applySeedModes(store, schemas, batch);
        return res.runs;
      } catch (e) {
        if (e instanceof ApiError && e.issues.length) {
          runs.setIssues(e.issues);
          toast(`Not queued: ${e.issues.length} problem(s), shown on the nodes`, 'error');
        } else toast(`Run failed to queue: ${(e as Error).message}`, 'error');
        return [];
      }
    },

    async rerun(workflow: unknown) {
      try {
        const res = await api.submit(normalizeWorkflow(workflow), { clientId: deps.clientId });
        rememberOwnRuns(runs, res.runs.map((r) => r.runId));
        toast('Queued again', 'info');
      } catch (e) {
        toast(`Rerun failed: ${(e as Error).message}`, 'error');
      }
    },

    save() {
      downloadWorkflow(store.doc);
    },

    async openFile(file: File) {
      try {
        if (isWorkflowFile(file)) actions.loadDocument(await readJsonFile(file), `Open ${file.name}`);
        else actions.loadDocument(await api.workflowFromFile(file), `Open ${file.name}`);
      } catch (e) {
        toast(`Could not open ${file.name}: ${(e as Error).message}`, 'error');
      }
    },

    /** A dropped file: a workflow (JSON, or an MP4/PNG with one embedded) opens; a photo or sound becomes a loader node. */
    /**
     * Files dropped on the canvas. `onNode`: the node under the drop; an image (or sound) dropped on a node that
     * loads one replaces that node's file instead of adding a new loader on top of it.
     */
    async dropFiles(files: File[], at: { x: number; y: number }, onNode?: string) {
      const target = onNode ? store.doc.nodes[onNode] : undefined;
      const file0 = files[0];
      if (target && file0 && files.length === 1) {
        const kind = file0.type.startsWith('image/') ? 'image' : file0.type.startsWith('audio/') ? 'audio' : undefined;
        const param = kind && schemas.get(target.type)?.params.find((p) => p.hint.widget === `${kind}-upload`);
        if (kind && param && !(kind === 'image' && file0.type === 'image/png' && (await embeddedWorkflow(file0)))) {
          try {
            const name = await actions.uploadFile(file0, kind);
            store.edit(`Replace ${kind}`, (d) => void (d.nodes[onNode!]!.params[param.name] = name));
          } catch (e) {
            toast(`Could not use ${file0.name}: ${(e as Error).message}`, 'error');
          }
          return;
        }
      }
      for (const [i, file] of files.entries()) {
        const pos = { x: at.x + i * 30, y: at.y + i * 30 };
        try {
          if (isWorkflowFile(file)) {
            actions.loadDocument(await readJsonFile(file), `Open ${file.name}`);
          } else if (file.type.startsWith('video/') || /\.(mp4|webm|mov)$/i.test(file.name)) {
            actions.loadDocument(await api.workflowFromFile(file), `Open ${file.name}`);
          } else if (file.type === 'image/png' && (await embeddedWorkflow(file))) {
            actions.loadDocument(await embeddedWorkflow(file), `Open ${file.name}`);
          } else if (file.type.startsWith('image/')) {
            await actions.addLoaderFor(file, 'image', pos);
          } else if (file.type.startsWith('audio/')) {
            await actions.addLoaderFor(file, 'audio', pos);
          } else toast(`Cannot use ${file.name} (${file.type || 'unknown type'})`, 'error');
        } catch (e) {
          toast(`Could not use ${file.name}: ${(e as Error).message}`, 'error');
        }
      }
    },

    /** Uploads the file and adds the node type that loads that kind of file (found from the param hints). */
    async addLoaderFor(file: File, kind: 'image' | 'audio', at: { x: number; y: number }) {
      const schema = loaderFor(schemas, kind);
      if (!schema) return toast(`No installed node loads ${kind} files`, 'error');
      const param = schema.params.find((p) => p.hint.widget === (kind === 'image' ? 'image-upload' : 'audio-upload'))!;
      const uploaded = await api.upload(file, kind, file.name);
      let id = '';
      store.edit(`Add ${schema.title}`, (d) => {
        id = addNode(d, schema, at);
        d.nodes[id].params[param.name] = uploaded.name;
      });
      canvas.current?.selectAfterNextChange([id]);
    },

    async uploadFile(file: File, kind: 'image' | 'audio') {
      const { name } = await api.upload(file, kind, file.name);
      // Offered again when the user picks files for a for-each.
      sweepStore.rememberUpload(name);
      return name;
    },

    /** Inserts a node from the search box, wiring it to the dragged link when there is one. */
    insertNode(schema: NodeSchema, req: SearchRequest) {
      const at = req.at ?? canvas.current?.cursorFlowPosition() ?? { x: 0, y: 0 };
      let id = '';
      store.transaction(`Add ${schema.title}`, () => {
        if (req.replace) return actions.replaceNode(req.replace, schema);
        store.edit('add', (d) => {
          id = addNode(d, schema, at);
        });
        const from = req.from;
        if (!from) return;
        if (from.handleType === 'source') {
          const socket =
            schema.inputs.find((i) => socketsCompatible(from.type, i.type))?.name ??
            schema.params.find((p) => p.hint.socket && socketsCompatible(from.type, p.hint.socket))?.name;
          if (socket) store.edit('link', (d) => connect(d, from.nodeId, from.handle, id, socket));
        } else {
          const out = schema.outputs.find((o) => socketsCompatible(o.type, from.type));
          if (out) store.edit('link', (d) => connect(d, id, out.name, from.nodeId, from.handle));
        }
      });
      if (id) canvas.current?.selectAfterNextChange([id]);
    },

    /** Swaps a (placeholder) node's type, keeping params and links that still fit. */
    replaceNode(nodeId: string, schema: NodeSchema) {
      store.transaction(`Replace with ${schema.title}`, () => actions.replaceNodeSteps(nodeId, schema));
    },
    replaceNodeSteps(nodeId: string, schema: NodeSchema) {
      store.edit(`Replace with ${schema.title}`, (d) => {
        const old = d.nodes[nodeId];
        if (!old) return;
        const params: Record<string, unknown> = {};
        for (const p of schema.params) params[p.name] = p.name in old.params ? old.params[p.name] : structuredClone(p.default ?? p.hint.default);
        d.nodes[nodeId] = { type: schema.type, version: schema.version, params, inputs: old.inputs };
      });
      // Links that no longer fit go; the rest stay.
      store.edit('prune links', (d) => {
        const node = d.nodes[nodeId];
        for (const [input, [src, out]] of Object.entries(node?.inputs ?? {})) {
          if (!checkConnection(schemas, store.doc, { source: src, sourceHandle: out, target: nodeId, targetHandle: input }).ok) delete node.inputs[input];
        }
        for (const [tid, n] of Object.entries(d.nodes)) {
          for (const [input, [src, out]] of Object.entries(n.inputs)) {
            if (src === nodeId && !checkConnection(schemas, store.doc, { source: src, sourceHandle: out, target: tid, targetHandle: input }).ok) delete n.inputs[input];
          }
        }
      });
    },

    deleteSelection() {
      const ids = canvas.current?.selectedIds() ?? [];
      const links = canvas.current?.selectedEdges() ?? [];
      if (ids.length === 0 && links.length === 0) return;
      store.edit(ids.length + links.length > 1 ? `Delete ${ids.length + links.length} items` : 'Delete', (d) => {
        for (const l of links) disconnect(d, l.target, l.input);
        removeItems(d, ids);
      });
    },

    copy(): boolean {
      const ids = canvas.current?.selectedIds() ?? [];
      const c = copyItems(store.doc, ids);
      if (Object.keys(c.nodes).length === 0 && c.notes.length === 0) return false;
      clip = c;
      try {
        localStorage.setItem(CLIP_KEY, JSON.stringify(c));
      } catch {
        /* the in-tab clipboard still works */
      }
      return true;
    },

    paste(at?: { x: number; y: number }) {
      const c = clip ?? readClip();
      if (!c) return;
      let ids: string[] = [];
      store.edit('Paste', (d) => {
        ids = pasteClip(d, c, at ?? canvas.current?.cursorFlowPosition() ?? { x: 0, y: 0 });
      });
      canvas.current?.selectAfterNextChange(ids);
    },

    duplicate() {
      const ids = canvas.current?.selectedIds() ?? [];
      const c = copyItems(store.doc, ids);
      const xs = Object.values(c.ui).map((u) => u.x);
      const ys = Object.values(c.ui).map((u) => u.y);
      if (xs.length === 0) return;
      let out: string[] = [];
      store.edit('Duplicate', (d) => {
        out = pasteClip(d, c, { x: Math.min(...xs) + 40, y: Math.min(...ys) + 40 });
      });
      canvas.current?.selectAfterNextChange(out);
    },

    /** A group around the selected nodes and notes, sized from their real (measured) boxes. */
    addGroup() {
      const ids = (canvas.current?.selectedIds() ?? []).filter((id) => store.doc.ui.nodes[id] || id.startsWith('note:'));
      const at = canvas.current?.centerFlowPosition() ?? { x: 0, y: 0 };
      let box = { x: Math.round(at.x - 200), y: Math.round(at.y - 120), width: 400, height: 240 };
      const boxes = new Map(ids.flatMap((id) => {
        const b = canvas.current?.boxOf(id);
        return b ? [[id, { id, ...b }] as const] : [];
      }));
      if (boxes.size) {
        const { x, y, width, height } = fitGroup({ id: '', ...box, members: [...boxes.keys()] }, boxes, false);
        box = { x, y, width, height };
      }
      const id = uid();
      store.edit('Add group', (d) => void d.ui.groups.push({ id, title: 'Group', ...box }));
    },

    /** Columns by graph depth, from the nodes' real sizes (one undo step). */
    arrange() {
      canvas.current?.arrange();
    },

    addNote() {
      const at = canvas.current?.cursorFlowPosition() ?? { x: 0, y: 0 };
      const id = uid();
      store.edit('Add note', (d) => void d.ui.notes.push({ id, text: '', x: Math.round(at.x), y: Math.round(at.y) }));
      canvas.current?.selectAfterNextChange(['note:' + id]);
    },

    /**
     * Bypass or mute the selected nodes (`ids` to name others, as a node's menu does); when all of them are
     * already in that mode they go back to normal. The engine applies the mode (graph-core node-modes.ts).
     */
    toggleMode(mode: 'bypass' | 'mute', ids = canvas.current?.selectedIds() ?? []) {
      const nodes = ids.filter((id) => store.doc.nodes[id]);
      if (nodes.length === 0) return;
      const off = nodes.every((id) => store.doc.nodes[id]!.mode === mode);
      const label = off ? (mode === 'bypass' ? 'Un-bypass' : 'Unmute') : mode === 'bypass' ? 'Bypass' : 'Mute';
      store.edit(nodes.length > 1 ? `${label} ${nodes.length} nodes` : label, (d) => {
        for (const id of nodes) {
          if (off) delete d.nodes[id]!.mode;
          else d.nodes[id]!.mode = mode;
        }
      });
    },

    selectAll() {
      canvas.current?.selectAll();
    },

    async interrupt() {
      await api.interrupt().catch((e) => toast(`Interrupt failed: ${(e as Error).message}`, 'error'));
    },
    async cancel(runId: string) {
      await api.cancel(runId).catch((e) => toast(`Cancel failed: ${(e as Error).message}`, 'error'));
    },
  };
  return actions;
}

export type Actions = ReturnType<typeof createActions>;

/** The node type that loads a kind of file: the one with an upload param for it and the fewest inputs. */
export function loaderFor(schemas: SchemaMap, kind: 'image' | 'audio'): NodeSchema | undefined {
  const widget = kind === 'image' ? 'image-upload' : 'audio-upload';
  return [...schemas.values()].filter((s) => s.params.some((p) => p.hint.widget === widget)).sort((a, b) => a.inputs.length - b.inputs.length)[0];
}

function readClip(): Clip | null {
  try {
    const c = JSON.parse(localStorage.getItem(CLIP_KEY) ?? 'null');
    return c && c.kind === 'kinegraph.clip' ? c : null;
  } catch {
    return null;
  }
}

/** The workflow a PNG written by the project carries, if any (asks the runtime, which reads the file's metadata). */
const embeddedCache = new WeakMap<File, Promise<unknown>>();
function embeddedWorkflow(file: File): Promise<unknown> {
  let p = embeddedCache.get(file);
  if (!p) {
    p = api.workflowFromFile(file).catch(() => null);
    embeddedCache.set(file, p);
  }
  return p;
}
