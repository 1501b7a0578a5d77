import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { MASK } from '../sockets.js';
import { MaskValue } from '../values/mask.js';
import { maskInput, sameSize } from './mask-input.js';

const OPERATIONS = ['add', 'subtract', 'multiply', 'max', 'min'] as const;
type Operation = (typeof OPERATIONS)[number];

const APPLY: Record<Operation, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  max: (a, b) => (a > b ? a : b),
  min: (a, b) => (a < b ? a : b),
};

export const CombineMasks = defineNode({
  type: 'CombineMasks',
  category: 'mask',
  title: 'Combine Masks',
  description:
    'Combines two masks of the same size pixel by pixel: add (union, clipped at 1), subtract (a without b), multiply (intersection, soft), max (union), min (intersection).',
  version: 1,
  inputs: { a: input(MASK), b: input(MASK) },
  outputs: { mask: output(MASK) },
  params: {
    operation: p.choice(OPERATIONS, { default: 'max', label: 'Operation' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs, params) {
    const a = maskInput(inputs.a, 'a');
    const b = maskInput(inputs.b, 'b');
    sameSize(a, b, 'b');
    const f = APPLY[params.operation];
    const out = new Float32Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[i], b.data[i]);
    return { mask: MaskValue.fromValues(a.width, a.height, out) };
  },
});
