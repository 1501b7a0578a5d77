import type { NodeSchema } from '../api/types.js';
import type { ActionDeps } from '../app-actions.js';
import type { SearchRequest } from '../app-context.js';
import { fitGroup } from '../canvas/layout.js';
import { checkConnection, socketsCompatible } from '../graph/compat.js';
import { addNode, connect, copyItems, disconnect, pasteClip, removeItems, uid, type Clip } from '../graph/node-ops.js';
import { readWorkflow } from '../store/empty-workflow.js';

const CLIP_KEY = 'kinegraph.clipboard';

/** Editing the graph: adding, replacing, deleting, copying and grouping nodes, notes and modes. */
export function editActions({ store, schemas, canvas }: ActionDeps) {
  let clip: Clip | null = null;
  const edits = {
    /** Inserts a node from the search box, wiring it to the dragged link when there is one. */
    insertNode(schema: NodeSchema, req: SearchRequest) {
      const at = req.at ?? canvas.current?.cursorFlowPosition() ?? { x: 0, y: 0 };
      let id = '';
      store.transaction(`Add ${schema.title}`, () => {
        if (req.replace) return edits.replaceNode(req.replace, schema);
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
      store.transaction(`Replace with ${schema.title}`, () => edits.replaceNodeSteps(nodeId, schema));
    },

    replaceNodeSteps(nodeId: string, schema: NodeSchema) {
      store.edit(`Replace with ${schema.title}`, (d) => {
        const old = d.nodes[nodeId];
        if (!old) return;
        const params: Record<string, unknown> = {};
        for (const p of schema.params)
          params[p.name] = p.name in old.params ? old.params[p.name] : structuredClone(p.default ?? p.hint.default);
        d.nodes[nodeId] = { type: schema.type, version: schema.version, params, inputs: old.inputs };
      });
      // Links that no longer fit go; the rest stay.
      store.edit('prune links', (d) => {
        const node = d.nodes[nodeId];
        for (const [input, [src, out]] of Object.entries(node?.inputs ?? {})) {
          if (!checkConnection(schemas, store.doc, { source: src, sourceHandle: out, target: nodeId, targetHandle: input }).ok)
            delete node.inputs[input];
        }
        for (const [tid, n] of Object.entries(d.nodes)) {
          for (const [input, [src, out]] of Object.entries(n.inputs)) {
            if (
              src === nodeId &&
              !checkConnection(schemas, store.doc, { source: src, sourceHandle: out, target: tid, targetHandle: input }).ok
            )
              delete n.inputs[input];
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
      if (c) edits.pasteItems(c, false, at);
    },

    /** The last copy as text for the system clipboard (another tab or app can paste it back). */
    clipText(): string | null {
      return clip ? JSON.stringify(clip) : null;
    },

    /**
     * Text pasted on the canvas: a workflow (a saved file's JSON, a script's, the API's) or a copied clip is added at
     * the cursor. Returns false for any other text. Nodes without a position, or whose boxes overlap once drawn, are
     * laid out by Arrange.
     */
    pasteText(text: string, at?: { x: number; y: number }): boolean {
      const found = graphFromText(text);
      if (!found) return false;
      edits.pasteItems(found.clip, found.unplaced, at);
      return true;
    },

    pasteItems(c: Clip, unplaced: boolean, at?: { x: number; y: number }) {
      let ids: string[] = [];
      store.edit('Paste', (d) => {
        ids = pasteClip(d, c, at ?? canvas.current?.cursorFlowPosition() ?? { x: 0, y: 0 });
      });
      if (ids.length === 0) return;
      canvas.current?.selectAfterNextChange(ids);
      canvas.current?.arrangeOnceMeasured(ids, unplaced);
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
      const boxes = new Map(
        ids.flatMap((id) => {
          const b = canvas.current?.boxOf(id);
          return b ? [[id, { id, ...b }] as const] : [];
        }),
      );
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
  };
  return edits;
}

function readClip(): Clip | null {
  try {
    const c = JSON.parse(localStorage.getItem(CLIP_KEY) ?? 'null');
    return c && c.kind === 'kinegraph.clip' ? c : null;
  } catch {
    return null;
  }
}

/** A clip or a workflow in pasted text, and whether some of its nodes came without a position. */
export function graphFromText(text: string): { clip: Clip; unplaced: boolean } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<Clip> & { format?: unknown };
  if (v.kind === 'kinegraph.clip' && v.nodes && typeof v.nodes === 'object') {
    const ui = v.ui ?? {};
    const clip: Clip = { kind: 'kinegraph.clip', nodes: {}, ui, notes: Array.isArray(v.notes) ? v.notes : [] };
    // The same filling as an opened file (type, params, inputs), without the positions it would guess.
    const doc = readWorkflow({ format: 'kinegraph.workflow', version: 1, nodes: v.nodes, ui: { nodes: ui } }).doc;
    clip.nodes = doc.nodes;
    return { clip, unplaced: Object.keys(clip.nodes).some((id) => !ui[id]) };
  }
  if (v.format !== 'kinegraph.workflow') return null;
  try {
    const { doc, unplaced } = readWorkflow(value);
    return { clip: { kind: 'kinegraph.clip', nodes: doc.nodes, ui: doc.ui.nodes, notes: doc.ui.notes }, unplaced: unplaced.length > 0 };
  } catch {
    return null;
  }
}
