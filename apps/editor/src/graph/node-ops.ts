import type { Draft } from 'immer';
import type { Link, NodeSchema, Workflow, WorkflowNode } from '../api/types.js';

/** Smallest positive integer id not used yet (ids stay short and readable, like "12"). */
export function nextNodeId(doc: Workflow | Draft<Workflow>, taken: Set<string> = new Set()): string {
  let max = 0;
  for (const id of Object.keys(doc.nodes)) {
    const n = Number(id);
    if (Number.isInteger(n) && n > max) max = n;
  }
  let i = max + 1;
  while (doc.nodes[String(i)] || taken.has(String(i))) i++;
  return String(i);
}

export function defaultParams(schema: NodeSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of schema.params) {
    const v = p.default !== undefined ? p.default : p.hint.default;
    if (v !== undefined) out[p.name] = structuredClone(v);
  }
  return out;
}

export function addNode(d: Draft<Workflow>, schema: NodeSchema, pos: { x: number; y: number }, id = nextNodeId(d)): string {
  d.nodes[id] = { type: schema.type, version: schema.version, params: defaultParams(schema), inputs: {} };
  d.ui.nodes[id] = { x: Math.round(pos.x), y: Math.round(pos.y) };
  return id;
}

/** Links `source.output` into `target.input`, replacing the link that was there (an input takes one link). */
export function connect(d: Draft<Workflow>, source: string, output: string, target: string, input: string): void {
  const node = d.nodes[target];
  if (!node) return;
  node.inputs[input] = [source, output];
}

export function disconnect(d: Draft<Workflow>, target: string, input: string): void {
  const node = d.nodes[target];
  if (node) delete node.inputs[input];
}

/** Removes nodes, groups and notes, and every link into or out of a removed node. */
export function removeItems(d: Draft<Workflow>, ids: Iterable<string>): void {
  const gone = new Set<string>();
  for (const id of ids) {
    if (id.startsWith('group:')) d.ui.groups = d.ui.groups.filter((g) => 'group:' + g.id !== id);
    else if (id.startsWith('note:')) d.ui.notes = d.ui.notes.filter((n) => 'note:' + n.id !== id);
    else if (d.nodes[id]) {
      delete d.nodes[id];
      delete d.ui.nodes[id];
      gone.add(id);
    }
  }
  if (gone.size === 0) return;
  for (const n of Object.values(d.nodes)) {
    for (const [k, link] of Object.entries(n.inputs)) if (gone.has(link[0])) delete n.inputs[k];
  }
}

export interface Clip {
  kind: 'kinegraph.clip';
  nodes: Record<string, WorkflowNode>;
  ui: Workflow['ui']['nodes'];
  notes: Workflow['ui']['notes'];
}

/** Copies selected nodes (and notes) with the links between them. */
export function copyItems(doc: Workflow, ids: Iterable<string>): Clip {
  const clip: Clip = { kind: 'kinegraph.clip', nodes: {}, ui: {}, notes: [] };
  for (const id of ids) {
    if (id.startsWith('note:')) {
      const n = doc.ui.notes.find((x) => 'note:' + x.id === id);
      if (n) clip.notes.push(structuredClone(n));
    } else if (doc.nodes[id]) {
      clip.nodes[id] = structuredClone(doc.nodes[id]);
      clip.ui[id] = structuredClone(doc.ui.nodes[id] ?? { x: 0, y: 0 });
    }
  }
  for (const n of Object.values(clip.nodes)) {
    for (const [k, link] of Object.entries(n.inputs)) if (!clip.nodes[link[0]]) delete n.inputs[k];
  }
  return clip;
}

/** Pastes a clip with fresh ids so its top-left lands at `at`; returns the new selection ids. */
export function pasteClip(d: Draft<Workflow>, clip: Clip, at: { x: number; y: number }): string[] {
  const xs = [...Object.values(clip.ui).map((u) => u.x), ...clip.notes.map((n) => n.x)];
  const ys = [...Object.values(clip.ui).map((u) => u.y), ...clip.notes.map((n) => n.y)];
  if (Object.keys(clip.nodes).length === 0 && clip.notes.length === 0) return [];
  // Nodes without a position (a clip written by hand) start at `at`; the canvas arranges them once drawn.
  const dx = at.x - (xs.length ? Math.min(...xs) : 0);
  const dy = at.y - (ys.length ? Math.min(...ys) : 0);
  const map = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of Object.keys(clip.nodes)) {
    const nid = nextNodeId(d, taken);
    taken.add(nid);
    map.set(id, nid);
  }
  const out: string[] = [];
  for (const [id, node] of Object.entries(clip.nodes)) {
    const nid = map.get(id)!;
    const inputs: Record<string, Link> = {};
    for (const [k, link] of Object.entries(node.inputs)) {
      const src = map.get(link[0]);
      if (src) inputs[k] = [src, link[1]];
    }
    d.nodes[nid] = { ...structuredClone(node), inputs };
    const u = clip.ui[id] ?? { x: 0, y: 0 };
    d.ui.nodes[nid] = { ...structuredClone(u), x: Math.round(u.x + dx), y: Math.round(u.y + dy) };
    out.push(nid);
  }
  for (const n of clip.notes) {
    const id = uid();
    d.ui.notes.push({ ...structuredClone(n), id, x: n.x + dx, y: n.y + dy });
    out.push('note:' + id);
  }
  return out;
}

export function uid(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** Nodes whose top-left corner lies inside a group's box (the group carries them when it moves). */
export function nodesInGroup(doc: Workflow, groupId: string): string[] {
  const g = doc.ui.groups.find((x) => x.id === groupId);
  if (!g) return [];
  const inside = (x: number, y: number) => x >= g.x && y >= g.y && x <= g.x + g.width && y <= g.y + g.height;
  return [
    ...Object.entries(doc.ui.nodes)
      .filter(([, u]) => inside(u.x, u.y))
      .map(([id]) => id),
    ...doc.ui.notes.filter((n) => inside(n.x, n.y)).map((n) => 'note:' + n.id),
  ];
}

/** Moves a canvas item (node, note or group) to a new position. */
export function moveItem(d: Draft<Workflow>, id: string, x: number, y: number): void {
  if (id.startsWith('group:')) {
    const g = d.ui.groups.find((v) => 'group:' + v.id === id);
    if (g) Object.assign(g, { x, y });
  } else if (id.startsWith('note:')) {
    const n = d.ui.notes.find((v) => 'note:' + v.id === id);
    if (n) Object.assign(n, { x, y });
  } else if (d.ui.nodes[id]) {
    d.ui.nodes[id].x = x;
    d.ui.nodes[id].y = y;
  }
}
