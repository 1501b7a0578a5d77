import { defineNode, INT, output, p } from '@kinegraph/graph-core';

export const Seed = defineNode({
  type: 'Seed',
  category: 'primitive',
  title: 'Seed',
  description: 'One seed shared by several nodes: wire it into their seed inputs. The editor can randomize or increment it after each run.',
  version: 1,
  inputs: {},
  outputs: { seed: output(INT) },
  params: { seed: p.seed({ default: 0 }) },
  cache: 'pure',
  concurrencySafe: true,
  execute: (_ctx, _inputs, params) => ({ seed: params.seed }),
});
