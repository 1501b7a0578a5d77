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

/**
 * Walks a parsed JSON value without recursion (so no nesting depth can overflow the stack) and stops at the
 * first bound it breaks, so its work is bounded by the limits, not by the document. Containers wait on parallel
 * stacks (value, depth, key, parent index) so the walk allocates nothing per value; a path is built only for a
 * breach.
 */
export function findLimitBreach(doc: unknown, limits: DocumentLimits = DOCUMENT_LIMITS): LimitBreach | undefined {
  const nodes = isObject(doc) ? (doc as { nodes?: unknown }).nodes : undefined;
  if (isObject(nodes) && !Array.isArray(nodes)) {
    const n = Object.keys(nodes).length;
    if (n > limits.maxNodes)
      return breach('maxNodes', limits.maxNodes, 'nodes', `The workflow has ${n} nodes; the limit is ${limits.maxNodes}`);
  }
  if (typeof doc === 'string' && doc.length > limits.maxStringLength) {
    return breach(
      'maxStringLength',
      limits.maxStringLength,
      '',
      `A text of ${doc.length} characters; the limit is ${limits.maxStringLength}`,
    );
  }
  if (!isObject(doc)) return undefined;
  // Every container seen, in order: `seen*` keep what a path needs; `todo` holds indexes still to walk.
  const seenKey: string[] = [''];
  const seenParent: number[] = [-1];
  const seenDepth: number[] = [1];
  const seenValue: object[] = [doc];
  const todo: number[] = [0];
  const pathOf = (parent: number, key: string): string => {
    const parts = parent >= 0 ? [key] : [];
    for (let i = parent; i > 0; i = seenParent[i]!) parts.push(seenKey[i]!);
    return parts.reverse().join('.');
  };
  let values = 1;
  while (todo.length) {
    const at = todo.pop()!;
    const v = seenValue[at]!;
    const depth = seenDepth[at]! + 1;
    const isArray = Array.isArray(v);
    const keys = isArray ? undefined : Object.keys(v);
    const n = isArray ? (v as unknown[]).length : keys!.length;
    if (n > limits.maxEntries) {
      const where = pathOf(seenParent[at]!, seenKey[at]!);
      return breach(
        'maxEntries',
        limits.maxEntries,
        where,
        `${where ? `"${where}"` : 'The document'} has ${n} entries; the limit is ${limits.maxEntries} per object or array`,
      );
    }
    values += n;
    if (values > limits.maxValues) {
      return breach(
        'maxValues',
        limits.maxValues,
        pathOf(seenParent[at]!, seenKey[at]!),
        `The document holds more than ${limits.maxValues} values; the limit is ${limits.maxValues}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const child = isArray ? (v as unknown[])[i] : (v as Record<string, unknown>)[keys![i]!];
      if (typeof child === 'string') {
        if (child.length > limits.maxStringLength) {
          return breach(
            'maxStringLength',
            limits.maxStringLength,
            pathOf(at, isArray ? String(i) : keys![i]!),
            `A text of ${child.length} characters; the limit is ${limits.maxStringLength}`,
          );
        }
      } else if (typeof child === 'object' && child !== null) {
        const key = isArray ? String(i) : keys![i]!;
        if (depth > limits.maxDepth) {
          return breach(
            'maxDepth',
            limits.maxDepth,
            pathOf(at, key),
            `The document nests deeper than ${limits.maxDepth} levels here; the limit is ${limits.maxDepth}`,
          );
        }
        todo.push(seenValue.length);
        seenValue.push(child);
        seenKey.push(key);
        seenParent.push(at);
        seenDepth.push(depth);
      }
    }
  }
  return undefined;
}

function breach(limit: DocumentLimitName, max: number, path: string, message: string): LimitBreach {
  return { limit, max, path, message };
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}
