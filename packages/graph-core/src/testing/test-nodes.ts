import { z } from 'zod';
import { defineNode, type NodeDefinition } from '../node-definition.js';
import { p } from '../param-hints.js';
import { NodeRegistry } from '../registry.js';
import { UserError } from '../errors.js';

/** Small real node types for engine tests: arithmetic on numbers, so results are easy to assert. */
export function testNodes(calls: string[] = []) {
  const record = (type: string) => (ctxNodeId: string) => calls.push(`${type}:${ctxNodeId}`);
  const Const = defineNode({
    type: 'Const',
    category: 'test',
    title: 'Constant',
    description: 'Outputs its value',
    version: 1,
    inputs: {},
    outputs: { value: { type: 'FLOAT' } },
    params: { value: p.float({ default: 0, min: -1000, max: 1000 }) },
    cache: 'pure',
    execute(ctx, _in, params) {
      record('Const')(ctx.nodeId);
      return { value: params.value };
    },
  });
  const Add = defineNode({
    type: 'Add',
    category: 'test',
    title: 'Add',
    description: 'a + b + bias',
    version: 2,
    inputs: { a: { type: 'FLOAT' }, b: { type: 'FLOAT', optional: true } },
    outputs: { sum: { type: 'FLOAT' } },
    params: { bias: p.float({ default: 0 }) },
    concurrencySafe: true,
    cache: 'pure',
    migrateParams(from, params) {
      // version 1 called the bias "offset"
      if (from < 2 && 'offset' in params) {
        const { offset, ...rest } = params;
        return { ...rest, bias: offset };
      }
      return params;
    },
    execute(ctx, inputs, params) {
      record('Add')(ctx.nodeId);
      return { sum: (inputs.a as number) + ((inputs.b as number | undefined) ?? 0) + params.bias };
    },
  });
  const Steps = defineNode({
    type: 'Steps',
    category: 'test',
    title: 'Steps',
    description: 'Counts steps with progress, optionally failing at one',
    version: 1,
    inputs: { x: { type: 'FLOAT' } },
    outputs: { x: { type: 'FLOAT' } },
    params: {
      steps: p.int({ default: 3, min: 1, max: 1000 }),
      failAt: p.int({ default: -1, min: -1, max: 1000 }),
      delayMs: p.int({ default: 0, min: 0, max: 1000 }),
    },
    cache: 'pure',
    async execute(ctx, inputs, params) {
      record('Steps')(ctx.nodeId);
      for (let i = 0; i < params.steps; i++) {
        if (i === params.failAt) throw new UserError(`step ${i} failed on purpose`, 'failAt');
        if (params.delayMs) await new Promise((r) => setTimeout(r, params.delayMs));
        ctx.progress(i + 1, params.steps, i === 0 ? { mime: 'image/png', data: new Uint8Array([1, 2, 3]) } : undefined);
      }
      return { x: inputs.x };
    },
  });
  const Noise = defineNode({
    type: 'Noise',
    category: 'test',
    title: 'Noise',
    description: 'A seeded random number',
    version: 1,
    inputs: {},
    outputs: { value: { type: 'FLOAT' } },
    params: { seed: p.seed() },
    cache: 'seeded',
    execute(ctx, _in, params) {
      record('Noise')(ctx.nodeId);
      return { value: ((params.seed * 2654435761) % 1000) / 1000 };
    },
  });
  const Clock = defineNode({
    type: 'Clock',
    category: 'test',
    title: 'Clock',
    description: 'Never cached',
    version: 1,
    inputs: {},
    outputs: { value: { type: 'FLOAT' } },
    params: {},
    cache: 'never',
    execute(ctx) {
      record('Clock')(ctx.nodeId);
      return { value: calls.length };
    },
  });
  const Sink = defineNode({
    type: 'Sink',
    category: 'test',
    title: 'Sink',
    description: 'Output node',
    version: 1,
    isOutput: true,
    inputs: { value: { type: 'FLOAT' } },
    outputs: {},
    params: { label: p.string({ default: 'out' }), count: p.int({ default: 1, min: 1, max: 10 }) },
    cache: 'pure',
    checkParams(params) {
      return params.label === 'bad' ? [['label', 'label must not be "bad"']] : [];
    },
    execute(ctx, inputs, params) {
      record('Sink')(ctx.nodeId);
      ctx.ui({ kind: 'text', text: `${params.label}=${inputs.value}` });
      return {};
    },
  });
  const Text = defineNode({
    type: 'Text',
    category: 'test',
    title: 'Text',
    description: 'A string',
    version: 1,
    inputs: {},
    outputs: { text: { type: 'STRING' } },
    params: { text: p.string({ default: '' }), tags: p.json(z.array(z.string()).max(3), { default: [] }) },
    cache: 'pure',
    execute(_ctx, _in, params) {
      return { text: params.text };
    },
  });
  const Int = defineNode({
    type: 'Int',
    category: 'test',
    title: 'Integer',
    description: 'An integer',
    version: 1,
    inputs: {},
    outputs: { value: { type: 'INT' } },
    params: { value: p.int({ default: 0, min: -10, max: 10 }) },
    cache: 'pure',
    execute(_ctx, _in, params) {
      return { value: params.value };
    },
  });
  const defs: NodeDefinition<any>[] = [Const, Add, Steps, Noise, Clock, Sink, Text, Int];
  return { registry: new NodeRegistry(defs), calls };
}

/** A workflow document from a compact node list. */
export function doc(
  nodes: Record<string, { type: string; params?: Record<string, unknown>; inputs?: Record<string, [string, string]>; version?: number }>,
) {
  return { format: 'kinegraph.workflow', version: 1, nodes };
}
