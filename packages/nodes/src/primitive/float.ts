import { defineNode, FLOAT, output, p } from '@kinegraph/graph-core';

export const Float = defineNode({
  type: 'Float',
  category: 'primitive',
  title: 'Float',
  description: 'A number to wire into any FLOAT input.',
  version: 1,
  inputs: {},
  outputs: { value: output(FLOAT) },
  params: { value: p.float({ default: 0, step: 0.01, socket: false }) },
  cache: 'pure',
  concurrencySafe: true,
  execute: (_ctx, _inputs, params) => ({ value: params.value }),
});
