/**
 * Private snapshots of JSON data and a fast equality test against them. A memo keeps the snapshot and
 * compares each new document with it, so a caller that edits its document in place (or sends a fresh
 * parse of the same text) is never answered from a stale entry. The frozen `copy` is what the memo
 * validates, so nothing it hands out points into the caller's objects.
 */
export interface JsonSnapshot {
  /** A deep, frozen copy of the value. */
  readonly copy: unknown;
  readonly shape: Shape;
}

/**
 * The value compiled for comparison: a container's keys (objects only) and values in order. Primitive
 * values are kept as they are (no object per leaf: snapshots live long, and each object costs the GC).
 */
type Shape = ObjectShape | ArrayShape | Primitive;
type Primitive = string | number | boolean | null | undefined;
/** One hidden class for both container shapes, so comparing stays monomorphic. */
interface ObjectShape {
  readonly kind: typeof OBJECT;
  readonly keys: string[];
  readonly values: Shape[];
}
interface ArrayShape {
  readonly kind: typeof ARRAY;
  readonly keys: undefined;
  readonly values: Shape[];
}
const OBJECT = 0;
const ARRAY = 1;

const MAX_DEPTH = 64;
/** What `compile` returns for a value that is not plain JSON. */
const NOT_JSON: unique symbol = Symbol('not JSON');

/**
 * Snapshot of plain JSON data (plain objects, arrays, strings, numbers, booleans, null; undefined-valued
 * keys kept as they are), or undefined for anything else (class instances, functions, holes, cycles, deep nesting).
 */
export function snapshotJson(value: unknown): JsonSnapshot | undefined {
  const out: { copy?: unknown } = {};
  const shape = compile(value, 0, out);
  return shape === NOT_JSON ? undefined : { copy: out.copy, shape };
}

function compile(value: unknown, depth: number, out: { copy?: unknown }): Shape | typeof NOT_JSON {
  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'bigint':
      return NOT_JSON;
    case 'object':
      break;
    default:
      out.copy = value;
      return value as Primitive;
  }
  if (value === null) {
    out.copy = null;
    return null;
  }
  if (depth > MAX_DEPTH) return NOT_JSON;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_JSON;
    const values: Shape[] = [];
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_JSON; // a hole reads as undefined but is not JSON
      const item = compile(value[i], depth + 1, out);
      if (item === NOT_JSON) return NOT_JSON;
      values.push(item);
      copy.push(out.copy);
    }
    out.copy = Object.freeze(copy);
    return { kind: ARRAY, keys: undefined, values };
  }
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(value).length) return NOT_JSON;
  const keys = Object.keys(value);
  const values: Shape[] = [];
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__') return NOT_JSON;
    const v = compile((value as Record<string, unknown>)[key], depth + 1, out);
    if (v === NOT_JSON) return NOT_JSON;
    values.push(v);
    copy[key] = out.copy;
  }
  out.copy = Object.freeze(copy);
  return { kind: OBJECT, keys, values };
}

/**
 * Whether `value` holds the same JSON as the snapshot: same keys in the same order, same primitives
 * (NaN equals NaN; 0 and -0 differ), plain containers only. Symbol-keyed properties, which JSON can not
 * hold, are not looked at. Allocation-free. With `exceptKey`, that key of the top-level object must be in the
 * same place but its value is not compared.
 */
export function matchesSnapshot(value: unknown, snapshot: JsonSnapshot, exceptKey?: string): boolean {
  const shape = snapshot.shape;
  return typeof shape === 'object' && shape !== null ? matches(value, shape, exceptKey) : Object.is(value, shape);
}

function matches(a: unknown, s: ObjectShape | ArrayShape, exceptKey?: string): boolean {
  const values = s.values;
  if (s.kind === ARRAY) {
    if (!Array.isArray(a) || a.length !== values.length || Object.getPrototypeOf(a) !== Array.prototype) return false;
    for (let i = 0; i < values.length; i++) {
      if (!(i in a) || !matchesValue(a[i], values[i])) return false;
    }
    return true;
  }
  if (typeof a !== 'object' || a === null) return false;
  const proto = Object.getPrototypeOf(a);
  if ((proto !== Object.prototype && proto !== null) || Array.isArray(a)) return false;
  const keys = s.keys;
  let i = 0;
  for (const key in a) {
    if (key !== keys[i] || (key !== exceptKey && !matchesValue((a as Record<string, unknown>)[key], values[i]))) return false;
    i++;
  }
  return i === keys.length;
}

/** Primitives compared inline: most leaves are, and a call per leaf would be most of the cost. */
function matchesValue(a: unknown, s: Shape): boolean {
  return typeof s === 'object' && s !== null ? matches(a, s) : Object.is(a, s);
}
