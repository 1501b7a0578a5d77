import fc from 'fast-check';

/**
 * Fuzzed run requests made from the shipped workflows: a plan of mutations (fast-check picks it, so a seed
 * replays it) applied to a copy of one workflow, then written as JSON text. Text, so that numbers JSON.stringify
 * can not write (1e400, -0, 30 digits) and own `__proto__` keys reach the server as a client could send them.
 */

export type MutationKind = 'type' | 'number' | 'deep' | 'proto' | 'string' | 'cycle' | 'graph' | 'delete' | 'entries' | 'link';

export interface Mutation {
  kind: MutationKind;
  /** Picks a place (modulo what there is). */
  at: number;
  /** Picks a second place or a variant. */
  other: number;
  size: number;
  value: unknown;
}

export interface Plan {
  base: number;
  mutations: Mutation[];
  batch: number | string | null;
  targets: unknown;
}

export interface FuzzDocument {
  /** The request body as sent. */
  text: string;
  /** Which mutations made it (for the table and for failure reports). */
  kinds: MutationKind[];
}

const NUMBER_TOKENS = [
  '1e400',
  '-1e400',
  '1e308',
  '-0',
  '9007199254740993',
  '123456789012345678901234567890',
  '4.9e-325',
  '-2147483649',
  '0.1e1',
  '1E+2',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];
const NUM = '\u0000num:';
const DEEP = '\u0000deep:';

const weird = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(null, true, false, [], {}, '', 'x', -1, 0, 1.5, 2 ** 31, -(2 ** 53)),
  fc.constantFrom(...NUMBER_TOKENS).map((t) => NUM + t),
  fc.string({ maxLength: 40 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<MutationKind>('type', 'type', 'number', 'deep', 'proto', 'string', 'cycle', 'graph', 'delete', 'entries', 'link'),
  at: fc.nat(),
  other: fc.nat(),
  size: fc.nat(),
  value: weird,
});

export const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  base: fc.nat(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  batch: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, fc.integer({ min: -2, max: 120 }), fc.constantFrom('3', NUM + '1e400')),
  targets: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), weird),
});

/** Builds the request text for a plan over the shipped workflows. */
export function buildDocument(plan: Plan, shipped: readonly unknown[]): FuzzDocument {
  const doc = structuredClone(shipped[plan.base % shipped.length]) as Record<string, unknown>;
  const kinds: MutationKind[] = [];
  let root: unknown = doc;
  for (const m of plan.mutations) {
    kinds.push(m.kind);
    root = apply(root, m);
  }
  const body: Record<string, unknown> = { workflow: root };
  if (plan.batch !== null) body.batch = plan.batch;
  if (plan.targets !== undefined) body.targets = plan.targets;
  const json = JSON.stringify(body);
  // Most documents hold no placeholder: skip scanning megabytes for one.
  const text = !json.includes('\\u0000') ? json : expandPlaceholders(json);
  return { text, kinds };
}

/** Writes what JSON.stringify can not: raw number tokens and nesting thousands deep. */
function expandPlaceholders(json: string): string {
  return json.replace(/"\\u0000num:([^"]+)"/g, '$1').replace(/"\\u0000deep:(\d+):(array|object)"/g, (_m, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'array' ? '['.repeat(n) + '1' + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  });
}

function apply(root: unknown, m: Mutation): unknown {
  const nodes = nodesOf(root);
  switch (m.kind) {
    case 'type':
      return setAt(root, m.at, m.value);
    case 'number':
      return setAt(root, m.at, NUM + NUMBER_TOKENS[m.other % NUMBER_TOKENS.length]);
    case 'deep': {
      // Written into the text after JSON.stringify (which would overflow the stack on it): a placeholder here.
      const depth = pick([2, 10, 63, 66, 100, 1000, 5000, 5, 20, 64], m.size);
      return setAt(root, m.at, `${DEEP}${depth}:${m.other % 2 ? 'array' : 'object'}`, m.other % 3 !== 0);
    }
    case 'proto': {
      const key = PROTO_KEYS[m.other % PROTO_KEYS.length]!;
      const targets = containers(root).filter((c) => !Array.isArray(c.value));
      if (m.size % 3 === 0 && nodes) {
        // A node id that is a prototype key.
        const ids = Object.keys(nodes);
        if (ids.length) {
          const id = ids[m.at % ids.length]!;
          const node = nodes[id];
          delete nodes[id];
          own(nodes, key, node);
        }
        return root;
      }
      if (targets.length) own(targets[m.at % targets.length]!.value as Record<string, unknown>, key, m.value);
      return root;
    }
    case 'string': {
      const len = pick([1_000_001, 2_500_000, ...SMALL, 100_001, 999_999, ...SMALL], m.size);
      return setAt(root, m.at, 'x'.repeat(len - 1) + '\u00e9');
    }
    case 'cycle': {
      if (!nodes) return root;
      const ids = Object.keys(nodes);
      if (!ids.length) return root;
      const a = ids[m.at % ids.length]!;
      const b = ids[m.other % ids.length]!;
      link(nodes[a], b, m.size);
      link(nodes[b], a, m.size + 1);
      return root;
    }
    case 'graph': {
      if (!nodes) return root;
      const ids = Object.keys(nodes);
      if (!ids.length) return root;
      // At most about 24 MB of nodes (past the server's 20 MB body limit, not past the test's memory).
      const each = textSize(nodes) / ids.length;
      const copies = Math.min(
        pick([10_001, 3000, 1000, ...SMALL.map((n) => 2 + (n % 200))], m.size),
        Math.max(ids.length, Math.floor(24e6 / each)),
      );
      const grown: Record<string, unknown> = {};
      let made = 0;
      for (let i = 0; made < copies; i++) {
        for (const id of ids) {
          made++;
          const copy = structuredClone(nodes[id]) as Record<string, unknown>;
          const inputs = copy?.inputs;
          if (inputs && typeof inputs === 'object') {
            for (const [name, l] of Object.entries(inputs))
              if (Array.isArray(l)) (inputs as Record<string, unknown>)[name] = [`${l[0]}_${i}`, l[1]];
          }
          grown[`${id}_${i}`] = copy;
        }
      }
      (root as Record<string, unknown>).nodes = grown;
      return root;
    }
    case 'delete': {
      const cs = containers(root).filter((c) => c.parent);
      if (!cs.length) return root;
      const c = cs[m.at % cs.length]!;
      if (Array.isArray(c.parent)) c.parent.splice(Number(c.key), 1);
      else delete (c.parent as Record<string, unknown>)[c.key];
      return root;
    }
    case 'entries': {
      const n = pick([300_000, 10_001, 10_000, 5000, ...SMALL.map((n) => n % 2000)], m.size);
      const ui = (typeof root === 'object' && root ? (root as Record<string, unknown>) : {}) as Record<string, unknown>;
      // Distinct objects: a later mutation of one must not show in all of them.
      ui.ui = { notes: Array.from({ length: n }, (_, i) => (m.other % 2 ? i : { id: `n${i}`, text: 't', x: 'bad', y: 0 })) };
      return root;
    }
    case 'link': {
      if (!nodes) return root;
      const ids = Object.keys(nodes);
      if (!ids.length) return root;
      const n = nodes[ids[m.at % ids.length]!] as Record<string, unknown>;
      if (n && typeof n === 'object')
        n.inputs = { [String(m.value).slice(0, 20)]: [m.other % 2 ? 'ghost' : ids[m.other % ids.length], m.value] };
      return root;
    }
  }
}

/** Everyday sizes. Listed with them, the giants (which test the limits) come up in about one in fifteen picks. */
const SMALL = [
  1, 3, 10, 30, 100, 300, 1000, 3000, 10, 20, 50, 200, 500, 2, 5, 64, 128, 256, 700, 1500, 4, 8, 16, 40, 80, 160, 320, 640, 33, 77,
];

function pick(sizes: number[], n: number): number {
  return sizes[n % sizes.length]!;
}

/** Length of the value as sent: JSON text with the deep placeholders expanded. */
function textSize(v: unknown): number {
  const json = JSON.stringify(v);
  let size = json.length;
  for (const m of json.matchAll(/\\u0000deep:(\d+)/g)) size += 6 * Number(m[1]);
  return size;
}

function nodesOf(root: unknown): Record<string, unknown> | undefined {
  const n = typeof root === 'object' && root !== null ? (root as Record<string, unknown>).nodes : undefined;
  return n && typeof n === 'object' && !Array.isArray(n) ? (n as Record<string, unknown>) : undefined;
}

function link(node: unknown, source: string, variant: number): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  const inputs = (n.inputs && typeof n.inputs === 'object' ? n.inputs : (n.inputs = {})) as Record<string, unknown>;
  const names = Object.keys(inputs);
  const name = names.length ? names[variant % names.length]! : ['image', 'video', 'audio', 'value'][variant % 4]!;
  inputs[name] = [source, ['image', 'video', 'audio', 'latent'][variant % 4]];
}

/** Defines an own enumerable property (also for `__proto__`, which plain assignment would not create). */
function own(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

interface Place {
  value: unknown;
  parent: unknown;
  key: string;
}

/** Every place in the document (bounded walk), containers and leaves. */
function places(root: unknown, limit = 2000): Place[] {
  const out: Place[] = [{ value: root, parent: undefined, key: '' }];
  for (let i = 0; i < out.length && out.length < limit; i++) {
    const v = out[i]!.value;
    if (typeof v !== 'object' || v === null) continue;
    for (const k of Object.keys(v)) out.push({ value: (v as Record<string, unknown>)[k], parent: v, key: k });
  }
  return out;
}

function containers(root: unknown): Place[] {
  return places(root).filter((p) => typeof p.value === 'object' && p.value !== null);
}

/** Replaces the value at a place (or, with `insert`, adds it under a container). */
function setAt(root: unknown, at: number, value: unknown, insert = false): unknown {
  const ps = insert ? containers(root) : places(root);
  if (!ps.length) return root; // the document is a plain value by now: nothing to put it in
  const p = ps[at % ps.length]!;
  if (insert) {
    const c = p.value as Record<string, unknown>;
    if (Array.isArray(c)) c.push(value);
    else c[`fuzz${at % 7}`] = value;
    return root;
  }
  if (!p.parent) return value;
  if (Array.isArray(p.parent)) p.parent[Number(p.key)] = value;
  else own(p.parent as Record<string, unknown>, p.key, value);
  return root;
}
