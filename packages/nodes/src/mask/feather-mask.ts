import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { MASK } from '../sockets.js';
import { MaskValue } from '../values/mask.js';
import { gaussianBlur } from './box-filter.js';
import { maskInput } from './mask-input.js';

export const FeatherMask = defineNode({
  type: 'FeatherMask',
  category: 'mask',
  title: 'Feather Mask',
  description:
    "Softens the mask's edges: a Gaussian blur whose standard deviation is half the feather width (a hard edge then ramps from 16 % to 84 % over that many pixels).",
  version: 1,
  inputs: { mask: input(MASK) },
  outputs: { mask: output(MASK) },
  params: {
    pixels: p.int({ default: 8, min: 0, max: 1024, label: 'Feather (px)' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs, params) {
    const m = maskInput(inputs.mask);
    if (params.pixels === 0) return { mask: m };
    return { mask: MaskValue.fromValues(m.width, m.height, gaussianBlur(m.data, m.width, m.height, params.pixels / 2)) };
  },
});
