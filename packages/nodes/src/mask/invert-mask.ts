import { defineNode, input, output } from '@kinegraph/graph-core';
import { MASK } from '../sockets.js';
import { MaskValue } from '../values/mask.js';
import { maskInput } from './mask-input.js';

export const InvertMask = defineNode({
  type: 'InvertMask',
  category: 'mask',
  title: 'Invert Mask',
  description: 'Swaps inside and outside: every value v becomes 1 − v.',
  version: 1,
  inputs: { mask: input(MASK) },
  outputs: { mask: output(MASK) },
  params: {},
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs) {
    const m = maskInput(inputs.mask);
    const out = new Float32Array(m.data.length);
    for (let i = 0; i < out.length; i++) out[i] = 1 - m.data[i];
    return { mask: new MaskValue(m.width, m.height, out) };
  },
});
