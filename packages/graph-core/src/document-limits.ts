/**
 * Bounds on a workflow document, checked before anything parses it. Past them a document is refused with one
 * clear problem: without them, fields kept as they are (unknown node fields, `meta`, `ui`) could nest thousands
 * deep (JSON.stringify then overflows the stack when the run is saved), and a few megabytes of bad entries would
 * cost seconds of validation and an answer hundreds of megabytes long.
 */
export const DOCUMENT_LIMITS = {
  /** Objects and arrays inside one another; the shipped workflows nest 5 deep. */
  maxDepth: 64,
  /** Characters in one string (a node's text parameters allow 100,000). */
  maxStringLength: 1_000_000,
  /** Entries in one object or array. */
  maxEntries: 10_000,
  /** Nodes in one workflow. */
  maxNodes: 10_000,
  /** Values in the whole document (every object, array, string, number, boolean, null). */
  maxValues: 500_000,
} as const;
export type DocumentLimits = { [K in keyof typeof DOCUMENT_LIMITS]: number };
export type DocumentLimitName = keyof DocumentLimits;

/** The first bound a document breaks: which, where (a dotted path) and what (the caller names the limit its way). */
export interface LimitBreach {
  limit: DocumentLimitName;
  max: number;
  path: string;
  message: string;
}

interface Frame {
  value: object;
  depth: number;
  key: string;
  parent: Frame | undefined;
}

/**
 * Walks a parsed JSON value without recursion (so no nesting depth can overflow the stack) and stops at the
 * first bound it breaks, so its work is bounded by the limits, not by the document.
 */
export function findLimitBreach(doc: unknown, limits: DocumentLimits = DOCUMENT_LIMITS): LimitBreach | undefined {
  const nodes = isObject(doc) ? (doc as { nodes?: unknown }).nodes : undefined;
  if (isObject(nodes) && !Array.isArray(nodes)) {
    const n = Object.keys(nodes).length;
    if (n > limits.maxNodes) return breach('maxNodes', limits.maxNodes, 'nodes', `The workflow has ${n} nodes; the limit is ${limits.maxNodes}`);
  }
  let values = 0;
  const stack: Frame[] = [];
  const visit = (v: unknown, depth: number, key: string, parent: Frame | undefined): LimitBreach | undefined => {
    if (++values > limits.maxValues) {
      return breach('maxValues', limits.maxValues, pathOf(parent, key), `The document holds more than ${limits.maxValues} values; the limit is ${limits.maxValues}`);
    }
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) {
        return breach('maxStringLength', limits.maxStringLength, pathOf(parent, key), `A text of ${v.length} characters; the limit is ${limits.maxStringLength}`);
      }
    } else if (isObject(v)) {
      if (depth > limits.maxDepth) {
        return breach('maxDepth', limits.maxDepth, pathOf(parent, key), `The document nests deeper than ${limits.maxDepth} levels here; the limit is ${limits.maxDepth}`);
      }
      stack.push({ value: v, depth, key, parent });
    }
    return undefined;
  };
  const first = visit(doc, 1, '', undefined);
  if (first) return first;
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (Array.isArray(v)) {
      if (v.length > limits.maxEntries) return entriesBreach(limits, v.length, frame);
      for (let i = 0; i < v.length; i++) {
        const b = visit(v[i], frame.depth + 1, String(i), frame);
        if (b) return b;
      }
    } else {
      const keys = Object.keys(v);
      if (keys.length > limits.maxEntries) return entriesBreach(limits, keys.length, frame);
      for (const k of keys) {
        const b = visit((v as Record<string, unknown>)[k], frame.depth + 1, k, frame);
        if (b) return b;
      }
    }
  }
  return undefined;
}

function entriesBreach(limits: DocumentLimits, n: number, frame: Frame): LimitBreach {
  const where = pathOf(frame.parent, frame.key);
  return breach('maxEntries', limits.maxEntries, where, `${where ? `"${where}"` : 'The document'} has ${n} entries; the limit is ${limits.maxEntries} per object or array`);
}

function breach(limit: DocumentLimitName, max: number, path: string, message: string): LimitBreach {
  return { limit, max, path, message };
}

/** Built only when a bound is broken: frames keep a parent link instead of a path each. */
function pathOf(parent: Frame | undefined, key: string): string {
  const parts: string[] = [];
  if (parent) parts.push(key);
  for (let f = parent; f?.parent; f = f.parent) parts.push(f.key);
  return parts.reverse().join('.');
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}
