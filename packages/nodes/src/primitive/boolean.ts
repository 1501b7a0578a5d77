import { BOOLEAN, defineNode, output, p } from '@kinegraph/graph-core';

export const Boolean_ = defineNode({
  type: 'Boolean',
  category: 'primitive',
  title: 'Boolean',
  description: 'On or off, to wire into any BOOLEAN input.',
  version: 1,
  inputs: {},
  outputs: { value: output(BOOLEAN) },
  params: { value: p.bool({ default: false, socket: false }) },
  cache: 'pure',
  concurrencySafe: true,
  execute: (_ctx, _inputs, params) => ({ value: params.value }),
});
