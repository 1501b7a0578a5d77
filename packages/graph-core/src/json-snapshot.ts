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

/** The value compiled for comparison: an object's keys in order with their values, an array's items, or a primitive. */
type Shape = ObjectShape | ArrayShape | PrimitiveShape;
/** One hidden class for every shape (kind, keys, values, primitive), so comparing stays monomorphic. */
interface ObjectShape {
  readonly kind: typeof OBJECT;
  readonly keys: string[];
  readonly values: Shape[];
  readonly primitive: undefined;
}
interface ArrayShape {
  readonly kind: typeof ARRAY;
  readonly keys: undefined;
  readonly values: Shape[];
  readonly primitive: undefined;
}
interface PrimitiveShape {
  readonly kind: typeof PRIMITIVE;
  readonly keys: undefined;
  readonly values: undefined;
  readonly primitive: unknown;
}
const OBJECT = 0;
const ARRAY = 1;
const PRIMITIVE = 2;
const primitive = (value: unknown): Shape => ({ kind: PRIMITIVE, keys: undefined, values: undefined, primitive: value });

const MAX_DEPTH = 64;

/**
 * Snapshot of plain JSON data (plain objects, arrays, strings, numbers, booleans, null; undefined-valued
 * keys kept as they are), or undefined for anything else (class instances, functions, holes, cycles, deep nesting).
 */
export function snapshotJson(value: unknown): JsonSnapshot | undefined {
  const out: { copy?: unknown } = {};
  const shape = compile(value, 0, out);
  return shape ? { copy: out.copy, shape } : undefined;
}

function compile(value: unknown, depth: number, out: { copy?: unknown }): Shape | undefined {
  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'bigint':
      return undefined;
    case 'object':
      break;
    default:
      out.copy = value;
      return primitive(value);
  }
  if (value === null) {
    out.copy = null;
    return primitive(null);
  }
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
    const items: Shape[] = [];
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return undefined; // a hole reads as undefined but is not JSON
      const item = compile(value[i], depth + 1, out);
      if (!item) return undefined;
      items.push(item);
      copy.push(out.copy);
    }
    out.copy = Object.freeze(copy);
    return { kind: ARRAY, keys: undefined, values: items, primitive: undefined };
  }
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(value).length) return undefined;
  const keys = Object.keys(value);
  const values: Shape[] = [];
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__') return undefined;
    const v = compile((value as Record<string, unknown>)[key], depth + 1, out);
    if (!v) return undefined;
    values.push(v);
    copy[key] = out.copy;
  }
  out.copy = Object.freeze(copy);
  return { kind: OBJECT, keys, values, primitive: undefined };
}

/**
 * Whether `value` holds the same JSON as the snapshot: same keys in the same order, same primitives
 * (NaN equals NaN; 0 and -0 differ), plain containers only. Symbol-keyed properties, which JSON can not
 * hold, are not looked at. Allocation-free. With `exceptKey`, that key of the top-level object must be in the
 * same place but its value is not compared.
 */
export function matchesSnapshot(value: unknown, snapshot: JsonSnapshot, exceptKey?: string): boolean {
  return matches(value, snapshot.shape, exceptKey);
}

function matches(a: unknown, s: Shape, exceptKey?: string): boolean {
  switch (s.kind) {
    case PRIMITIVE:
      return Object.is(a, s.primitive);
    case ARRAY: {
      const items = s.values;
      if (!Array.isArray(a) || a.length !== items.length || Object.getPrototypeOf(a) !== Array.prototype) return false;
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        // Primitives inline: most leaves are, and a call per leaf is most of the cost.
        if (!(i in a) || !(item.kind === PRIMITIVE ? Object.is(a[i], item.primitive) : matches(a[i], item))) return false;
      }
      return true;
    }
    case OBJECT: {
      if (typeof a !== 'object' || a === null) return false;
      const proto = Object.getPrototypeOf(a);
      if ((proto !== Object.prototype && proto !== null) || Array.isArray(a)) return false;
      const { keys, values } = s;
      let i = 0;
      for (const key in a) {
        if (key !== keys[i]) return false;
        if (key !== exceptKey) {
          const value = values[i]!;
          const v = (a as Record<string, unknown>)[key];
          if (!(value.kind === PRIMITIVE ? Object.is(v, value.primitive) : matches(v, value))) return false;
        }
        i++;
      }
      return i === keys.length;
    }
  }
}
