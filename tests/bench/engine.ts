/**
 * Engine overhead on a generated graph of trivial nodes: validation time, first-run scheduling overhead per
 * node, and the cost of a rerun after one change at a leaf, relative to the first run. Reruns are timed over
 * an editing session (several edits on one engine, each a freshly built document, as a server receives
 * them); the first rerun right after a first run is shown apart, since it also pays V8's collection of the
 * first run's garbage.
 *   npm run bench:engine [-- --nodes 1000]
 */
import { createServices, defineNode, Engine, NodeRegistry, p, validateWorkflow } from '@kinegraph/graph-core';

const count = Number(process.argv[process.argv.indexOf('--nodes') + 1]) || 1000;

const Value = defineNode({
  type: 'Value',
  category: 'bench',
  title: 'Value',
  description: 'A number',
  version: 1,
  inputs: {},
  outputs: { value: { type: 'FLOAT' } },
  params: { value: p.float({ default: 0 }) },
  cache: 'pure',
  execute: (_ctx, _in, params) => ({ value: params.value }),
});
const Sum = defineNode({
  type: 'Sum',
  category: 'bench',
  title: 'Sum',
  description: 'a + b',
  version: 1,
  inputs: { a: { type: 'FLOAT' }, b: { type: 'FLOAT', optional: true } },
  outputs: { value: { type: 'FLOAT' } },
  params: { scale: p.float({ default: 1 }) },
  cache: 'pure',
  execute: (_ctx, inputs, params) => ({ value: ((inputs.a as number) + ((inputs.b as number) ?? 0)) * params.scale }),
});
const Out = defineNode({
  type: 'Out',
  category: 'bench',
  title: 'Out',
  description: 'Output',
  version: 1,
  isOutput: true,
  inputs: { value: { type: 'FLOAT' } },
  outputs: {},
  params: {},
  cache: 'pure',
  execute: () => ({}),
});

/**
 * A wide-and-deep DAG: a quarter of the nodes are leaves, the rest sum two earlier nodes; one output reads
 * the last sum. The "tail" leaf feeds only the last sum: changing it is a change at a leaf.
 */
function graph(tailValue: number) {
  const nodes: Record<string, { type: string; params: Record<string, unknown>; inputs: Record<string, [string, string]> }> = {};
  const leaves = Math.max(2, Math.floor(count / 4));
  for (let i = 0; i < leaves; i++) nodes[`n${i}`] = { type: 'Value', params: { value: i }, inputs: {} };
  const last = count - 3;
  for (let i = leaves; i <= last; i++) {
    const b: [string, string] = i === last ? ['tail', 'value'] : [`n${(i * 7919) % i}`, 'value'];
    nodes[`n${i}`] = { type: 'Sum', params: { scale: 1 }, inputs: { a: [`n${i - 1}`, 'value'], b } };
  }
  nodes.tail = { type: 'Value', params: { value: tailValue }, inputs: {} };
  nodes.out = { type: 'Out', params: {}, inputs: { value: [`n${last}`, 'value'] } };
  return { format: 'kinegraph.workflow', version: 1, nodes };
}

const registry = new NodeRegistry([Value, Sum, Out]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const repeat = 15;

// Warm up the JIT so the measured runs are steady-state.
for (let i = 0; i < 5; i++) {
  const e = new Engine({ registry, services: createServices([]) });
  await e.run(graph(0));
  await e.run(graph(1));
}

const validateTimes: number[] = [];
const firstTimes: number[] = [];
const afterFirstTimes: number[] = [];
const noChangeTimes: number[] = [];
const rerunTimes: number[] = [];
const sharedTimes: number[] = [];
let executed = 0;
let rerunExecuted = 0;
/** Edits per engine: an editing session changes one value again and again; each kind of rerun is timed this many times. */
const edits = 8;
for (let r = 0; r < repeat; r++) {
  const doc = graph(0);
  let t = performance.now();
  validateWorkflow(doc, registry);
  validateTimes.push(performance.now() - t);

  const engine = new Engine({ registry, services: createServices([]) });
  t = performance.now();
  executed = (await engine.run(graph(0))).executed.length;
  firstTimes.push(performance.now() - t);

  // The first rerun also pays for collecting the first run's garbage (V8 scavenges on allocation): shown apart.
  t = performance.now();
  await engine.run(graph(0));
  afterFirstTimes.push(performance.now() - t);

  let lastTail = 0;
  for (let k = 0; k < edits; k++) {
    const value = r * 1000 + k + 1;
    const same = graph(lastTail); // a fresh copy of the document that ran last
    t = performance.now();
    await engine.run(same);
    noChangeTimes.push(performance.now() - t);

    const changed = graph(value);
    t = performance.now();
    rerunExecuted = (await engine.run(changed)).executed.length;
    rerunTimes.push(performance.now() - t);

    // As the editor submits it: an immutable update shares every unchanged node object with the previous run.
    const after = { ...changed, nodes: { ...changed.nodes, tail: { ...changed.nodes.tail!, params: { value: -value } } } };
    t = performance.now();
    await engine.run(after);
    sharedTimes.push(performance.now() - t);
    lastTail = -value;
  }
}
const [validateMs, firstMs, afterFirstMs, noChangeMs, rerunMs, sharedMs] = [
  validateTimes,
  firstTimes,
  afterFirstTimes,
  noChangeTimes,
  rerunTimes,
  sharedTimes,
].map(median) as [number, number, number, number, number, number];

const rows: Array<[string, string]> = [
  ['nodes', `${count} (medians of ${repeat} repetitions; reruns: ${edits} edits each)`],
  ['validation', `${validateMs.toFixed(2)} ms (${((validateMs / count) * 1000).toFixed(1)} µs/node)`],
  [
    'first run',
    `${firstMs.toFixed(2)} ms for ${executed} nodes: ${((firstMs / executed) * 1000).toFixed(1)} µs/node engine overhead (target < 100 µs)`,
  ],
  [
    'first rerun after first run',
    `${afterFirstMs.toFixed(2)} ms, nothing changed (${((afterFirstMs / firstMs) * 100).toFixed(1)}%; includes collecting the first run's garbage)`,
  ],
  ['rerun, nothing changed', `${noChangeMs.toFixed(2)} ms (${((noChangeMs / firstMs) * 100).toFixed(1)}% of first run)`],
  [
    'rerun after one leaf change',
    `${rerunMs.toFixed(2)} ms, ${rerunExecuted} nodes re-executed (${((rerunMs / firstMs) * 100).toFixed(1)}% of first run; target < 2%)`,
  ],
  ['  same, structurally shared', `${sharedMs.toFixed(2)} ms (${((sharedMs / firstMs) * 100).toFixed(1)}% of first run)`],
];
for (const [k, v] of rows) console.log(`${k.padEnd(28)} ${v}`);
