/**
 * Private snapshots of JSON data and a fast equality test against them. A memo keeps the snapshot and
 * compares each new document with it, so a caller that edits its document in place (or sends a fresh
 * parse of the same text) is never answered from a stale entry. The frozen `copy` is what the memo
 * validates, so nothing it hands out points into the caller's objects.
 */
export interface JsonSnapshot {
  /** A deep, frozen copy of the value. */
  readonly copy: unknown;
  /**
   * The value as one flat list, in the order a walk meets it: an object is OBJECT, its key count, then
   * each key followed by its value; an array is ARRAY, its length, then its items; a primitive is itself.
   * One array per snapshot, not an object per container: snapshots live long, and every object costs the GC.
   */
  readonly tokens: readonly unknown[];
}

/** Markers: objects, so no primitive value can be mistaken for one. */
const OBJECT = Object.freeze({ marker: 'object' });
const ARRAY = Object.freeze({ marker: 'array' });
const MAX_DEPTH = 64;

/**
 * Snapshot of plain JSON data (plain objects, arrays, strings, numbers, booleans, null; undefined-valued
 * keys kept as they are), or undefined for anything else (class instances, functions, holes, cycles, deep nesting).
 */
export function snapshotJson(value: unknown): JsonSnapshot | undefined {
  const tokens: unknown[] = [];
  const out: { copy?: unknown } = {};
  return compile(value, 0, tokens, out) ? { copy: out.copy, tokens } : undefined;
}

function compile(value: unknown, depth: number, tokens: unknown[], out: { copy?: unknown }): boolean {
  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'bigint':
      return false;
    case 'object':
      break;
    default:
      tokens.push(value);
      out.copy = value;
      return true;
  }
  if (value === null) {
    tokens.push(null);
    out.copy = null;
    return true;
  }
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    tokens.push(ARRAY, value.length);
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return false; // a hole reads as undefined but is not JSON
      if (!compile(value[i], depth + 1, tokens, out)) return false;
      copy.push(out.copy);
    }
    out.copy = Object.freeze(copy);
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(value).length) return false;
  const keys = Object.keys(value);
  tokens.push(OBJECT, keys.length);
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__') return false;
    tokens.push(key);
    if (!compile((value as Record<string, unknown>)[key], depth + 1, tokens, out)) return false;
    copy[key] = out.copy;
  }
  out.copy = Object.freeze(copy);
  return true;
}

/**
 * Whether `value` holds the same JSON as the snapshot: same keys in the same order, same primitives
 * (NaN equals NaN; 0 and -0 differ), plain containers only. Symbol-keyed properties, which JSON can not
 * hold, are not looked at. Allocation-free. With `exceptKey`, that key of the top-level object must be in
 * the same place, and the snapshot must hold a primitive there (its value is not compared).
 */
export function matchesSnapshot(value: unknown, snapshot: JsonSnapshot, exceptKey?: string): boolean {
  return matchAt(value, snapshot.tokens, 0, exceptKey) === snapshot.tokens.length;
}

/** Compares `a` with the tokens from `pos`: the position after them, or -1. */
function matchAt(a: unknown, tokens: readonly unknown[], pos: number, exceptKey?: string): number {
  const t = tokens[pos];
  if (t === OBJECT) {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return -1;
    const proto = Object.getPrototypeOf(a);
    if (proto !== Object.prototype && proto !== null) return -1;
    const n = tokens[pos + 1] as number;
    pos += 2;
    let i = 0;
    for (const key in a) {
      if (i === n || tokens[pos] !== key) return -1;
      pos = key === exceptKey ? pos + 2 : matchAt((a as Record<string, unknown>)[key], tokens, pos + 1);
      if (pos < 0) return -1;
      i++;
    }
    return i === n ? pos : -1;
  }
  if (t === ARRAY) {
    const n = tokens[pos + 1] as number;
    if (!Array.isArray(a) || a.length !== n || Object.getPrototypeOf(a) !== Array.prototype) return -1;
    pos += 2;
    for (let i = 0; i < n; i++) {
      if (!(i in a)) return -1;
      const item = a[i];
      const token = tokens[pos];
      // Primitives inline: most leaves are, and a call per leaf would be most of the cost.
      pos = token === OBJECT || token === ARRAY ? matchAt(item, tokens, pos) : Object.is(item, token) ? pos + 1 : -1;
      if (pos < 0) return -1;
    }
    return pos;
  }
  return Object.is(a, t) ? pos + 1 : -1;
}
