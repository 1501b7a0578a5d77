import { defineNode, input, output } from '@kinegraph/graph-core';
import { IMAGE, MASK } from '../sockets.js';
import { ImageValue } from '../values/image.js';
import { maskInput } from './mask-input.js';

export const MaskToImage = defineNode({
  type: 'MaskToImage',
  category: 'mask',
  title: 'Mask to Image',
  description: 'The mask as a grey picture (0 black, 1 white), for nodes that take an IMAGE.',
  version: 1,
  inputs: { mask: input(MASK) },
  outputs: { image: output(IMAGE) },
  params: {},
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs) {
    const m = maskInput(inputs.mask);
    const grey = m.toBytes();
    const rgb = new Uint8Array(grey.length * 3);
    for (let i = 0; i < grey.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = grey[i];
    return { image: new ImageValue(m.width, m.height, rgb) };
  },
});
