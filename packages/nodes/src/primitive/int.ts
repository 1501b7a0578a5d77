import { defineNode, INT, output, p } from '@kinegraph/graph-core';

export const Int = defineNode({
  type: 'Int',
  category: 'primitive',
  title: 'Integer',
  description: 'A whole number to wire into any INT input (or a parameter turned into an input).',
  version: 1,
  inputs: {},
  outputs: { value: output(INT) },
  params: { value: p.int({ default: 0, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, socket: false }) },
  cache: 'pure',
  concurrencySafe: true,
  execute: (_ctx, _inputs, params) => ({ value: params.value }),
});
