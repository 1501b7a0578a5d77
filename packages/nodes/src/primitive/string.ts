import { defineNode, output, p, STRING } from '@kinegraph/graph-core';

export const String_ = defineNode({
  type: 'String',
  category: 'primitive',
  title: 'Text',
  description: 'A piece of text (a prompt, a file name) to wire into any STRING input.',
  version: 1,
  inputs: {},
  outputs: { value: output(STRING) },
  params: { value: p.string({ default: '', multiline: true, socket: false }) },
  cache: 'pure',
  concurrencySafe: true,
  execute: (_ctx, _inputs, params) => ({ value: params.value }),
});
