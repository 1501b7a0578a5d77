import type { GraphIssue } from './errors.js';
import { checkLinks, findCycles } from './graph-checks.js';
import { matchesSnapshot, snapshotJson, type JsonSnapshot } from './json-snapshot.js';
import { checkNode, type CheckedNode } from './node-checks.js';
import type { NodeDefinition } from './node-definition.js';
import type { NodeRegistry } from './registry.js';
import { dictionaryRecord, OutlineSchema, parseOutline, validationResult, type Outline, type ValidationResult } from './outline.js';
import type { Workflow, WorkflowNode } from './workflow-schema.js';

/** One node as last checked. */
interface Slot {
  /** Private copy of the node as submitted; undefined when it is not plain JSON (then it is never reused). */
  snapshot: JsonSnapshot | undefined;
  /** The definition its type named when checked: installing or replacing a type invalidates the slot. */
  def: NodeDefinition | undefined;
  checked: CheckedNode;
  /** Problems with its links, as of the last graph check. */
  links: GraphIssue[];
}

/** The document without its nodes, as last parsed. */
interface OutlineMemo {
  snapshot: JsonSnapshot;
  parsed: Outline;
}

/**
 * Incremental validation for a caller that validates one document again and again (the Engine): it keeps
 * the last document's nodes, each with a private snapshot, and re-checks only nodes whose JSON differs
 * (compared by content, so in-place edits and fresh parses are both seen). Links are re-checked only for
 * nodes whose own links or whose sources changed (added, removed, retyped); cycles only when the link
 * structure changed. The result equals `validateWorkflow` without a memo.
 */
export class ValidationMemo {
  private ids: string[] = [];
  private slots: Slot[] = [];
  private cycles: GraphIssue[] = [];
  private outline: OutlineMemo | undefined;
  private structure = 0;

  /**
   * Changes whenever the last validated document's node ids, order, types or links changed (or the memo
   * forgot): what is derived from those alone (such as which nodes are outputs) can be kept while it holds.
   */
  get structureVersion(): number {
    return this.structure;
  }

  /** Drops everything remembered (after an unexpected error, so no half-updated state is trusted). */
  forget(): void {
    this.structure++;
    this.ids = [];
    this.slots = [];
    this.cycles = [];
    this.outline = undefined;
  }

  validate(migrated: unknown, registry: NodeRegistry): ValidationResult {
    const outline = this.outlineOf(migrated);
    if (!outline.ok) {
      this.forget();
      return { ok: false, issues: outline.issues };
    }
    const rawNodes = (migrated as { nodes: Record<string, unknown> }).nodes;
    const ids = Object.keys(rawNodes);
    if (outline.reused && !plainIds(ids)) return this.validateAgain(migrated, registry);
    const prevIds = this.ids;
    const prevSlots = this.slots;
    let prevById: Map<string, Slot> | undefined;
    let reordered = ids.length !== prevIds.length;
    let changed: Set<string> | undefined; // ids whose links, type or existence changed
    const slots: Slot[] = new Array(ids.length);

    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const raw = rawNodes[id];
      let prev: Slot | undefined;
      if (prevIds[i] === id) prev = prevSlots[i];
      else {
        reordered = true;
        prevById ??= new Map(prevIds.map((pid, k) => [pid, prevSlots[k]!]));
        prev = prevById.get(id);
      }
      // A registry only gains types (it can not replace one), so an unchanged node of a known type keeps its definition.
      if (prev?.snapshot && matchesSnapshot(raw, prev.snapshot) && (prev.def !== undefined || typeOf(raw, registry) === undefined)) {
        slots[i] = prev;
        continue;
      }
      const def = typeOf(raw, registry);
      const snapshot = snapshotJson(raw);
      const checked = freezeChecked(checkNode(id, snapshot ? snapshot.copy : raw, registry));
      const sameLinks = prev !== undefined && sameStructure(prev, def, checked);
      if (!sameLinks) (changed ??= new Set()).add(id);
      slots[i] = { snapshot, def, checked, links: sameLinks ? prev!.links : [] };
    }
    if (reordered) {
      // Removed nodes change their dependents' links; a new order changes the order cycles are reported in.
      const now = new Set(ids);
      for (const pid of prevIds) if (!now.has(pid)) (changed ??= new Set()).add(pid);
    }

    if (changed || reordered) {
      this.checkGraph(ids, slots, changed ?? new Set(), registry);
      this.structure++;
    }

    const issues: GraphIssue[] = [];
    const resolved = dictionaryRecord<WorkflowNode>();
    for (let i = 0; i < slots.length; i++) {
      const { checked } = slots[i]!;
      if (checked.issues.length) for (const issue of checked.issues) issues.push({ ...issue });
      if (checked.resolved) resolved[ids[i]!] = checked.resolved;
    }
    for (const slot of slots) if (slot.links.length) for (const issue of slot.links) issues.push({ ...issue });
    for (const issue of this.cycles) issues.push({ ...issue });

    this.ids = ids;
    this.slots = slots;
    return validationResult({ ...outline.outline, nodes: resolved } as Workflow, issues);
  }

  /** Ids the outline's fast path did not vet: parse the outline in full, which reports them. */
  private validateAgain(migrated: unknown, registry: NodeRegistry): ValidationResult {
    this.outline = undefined;
    return this.validate(migrated, registry);
  }

  /** Re-checks links where they may have changed, and cycles. */
  private checkGraph(ids: string[], slots: Slot[], changed: Set<string>, registry: NodeRegistry): void {
    const nodes = new Map<string, WorkflowNode>();
    for (let i = 0; i < ids.length; i++) {
      const node = slots[i]!.checked.node;
      if (node) nodes.set(ids[i]!, node);
    }
    for (let i = 0; i < ids.length; i++) {
      const slot = slots[i]!;
      const node = slot.checked.node;
      if (!node) continue;
      const id = ids[i]!;
      let stale = changed.has(id);
      if (!stale) for (const name in node.inputs) if (changed.has(node.inputs[name]![0])) stale = true;
      if (!stale) continue;
      const links: GraphIssue[] = [];
      checkLinks(id, node, nodes, registry, links);
      slot.links = links;
    }
    this.cycles = findCycles(nodes);
  }

  /** The parsed outline: reused while everything but `nodes` is unchanged and the node ids are plain. */
  private outlineOf(migrated: unknown): { ok: true; outline: Outline; reused?: boolean } | { ok: false; issues: GraphIssue[] } {
    const memo = this.outline;
    if (memo && plainRecord(migrated) && plainRecord(migrated.nodes) && matchesSnapshot(migrated, memo.snapshot, 'nodes')) {
      return { ok: true, outline: memo.parsed, reused: true }; // node ids are vetted by the caller
    }
    const parsed = parseOutline(migrated);
    if (!parsed.ok) return parsed;
    // Keep (and hand out) a parse of a private copy, so later edits to the caller's objects change nothing here.
    const snapshot = snapshotJson({ ...(migrated as object), nodes: null });
    if (!snapshot) {
      this.outline = undefined;
      return parsed;
    }
    const copy = OutlineSchema.parse({ ...(snapshot.copy as object), nodes: {} });
    this.outline = { snapshot, parsed: copy };
    return { ok: true, outline: copy };
  }
}

/** Same type, definition, parse status and links as before: its links and its dependents' need no new check. */
function sameStructure(prev: Slot, def: NodeDefinition | undefined, checked: CheckedNode): boolean {
  const a = prev.checked.node;
  const b = checked.node;
  if (!a || !b) return !a && !b && prev.def === def;
  if (a.type !== b.type || prev.def !== def) return false;
  const ak = Object.keys(a.inputs);
  const bk = Object.keys(b.inputs);
  if (ak.length !== bk.length) return false;
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i]!;
    if (k !== bk[i]) return false;
    const [s1, o1] = a.inputs[k]!;
    const [s2, o2] = b.inputs[k]!;
    if (s1 !== s2 || o1 !== o2) return false;
  }
  return true;
}

/** What a memo hands out is shared between results, so it is made read-only. */
function freezeChecked(checked: CheckedNode): CheckedNode {
  const r = checked.resolved;
  if (r) {
    for (const name in r.inputs) Object.freeze(r.inputs[name]);
    Object.freeze(r.inputs);
    deepFreeze(r.params);
    Object.freeze(r);
  }
  return checked;
}

/** Parameters reach content keys, so their values are frozen too (they come from the private snapshot or from zod). */
function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v) || ArrayBuffer.isView(v)) return;
  Object.freeze(v);
  for (const key in v) deepFreeze((v as Record<string, unknown>)[key]);
}

/** The definition a raw node's type names, if installed. */
function typeOf(raw: unknown, registry: NodeRegistry): NodeDefinition | undefined {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? registry.get(type) : undefined;
}

function plainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Node ids the outline schema accepts as they are: 1 to 128 characters, no `__proto__`. (Symbol keys, which
 * JSON can not hold, are not looked for.)
 */
function plainIds(ids: string[]): boolean {
  for (const id of ids) if (id.length < 1 || id.length > 128 || id === '__proto__') return false;
  return true;
}
