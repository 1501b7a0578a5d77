import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { MASK } from '../sockets.js';
import { MaskValue } from '../values/mask.js';
import { maskInput } from './mask-input.js';

export const ThresholdMask = defineNode({
  type: 'ThresholdMask',
  category: 'mask',
  title: 'Threshold Mask',
  description: 'A hard mask: 1 where the value is above the threshold, 0 elsewhere.',
  version: 1,
  inputs: { mask: input(MASK) },
  outputs: { mask: output(MASK) },
  params: {
    value: p.float({ default: 0.5, min: 0, max: 1, step: 0.01, label: 'Threshold' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs, params) {
    const m = maskInput(inputs.mask);
    const out = new Float32Array(m.data.length);
    for (let i = 0; i < out.length; i++) out[i] = m.data[i] > params.value ? 1 : 0;
    return { mask: new MaskValue(m.width, m.height, out) };
  },
});
