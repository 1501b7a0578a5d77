import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { IMAGE, MASK } from '../sockets.js';
import { perceptionImage } from '../perception/image-input.js';
import { MaskValue } from '../values/mask.js';

const CHANNELS = ['red', 'green', 'blue', 'luminance'] as const;

export const ImageToMask = defineNode({
  type: 'ImageToMask',
  category: 'mask',
  title: 'Image to Mask',
  description: 'A mask from one channel of a picture (0..255 becomes 0..1); luminance weighs R, G, B by Rec. 709 (0.2126, 0.7152, 0.0722).',
  version: 1,
  inputs: { image: input(IMAGE) },
  outputs: { mask: output(MASK) },
  params: {
    channel: p.choice(CHANNELS, { default: 'luminance', label: 'Channel' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  execute(_ctx, inputs, params) {
    const image = perceptionImage(inputs.image);
    const n = image.width * image.height;
    const d = image.data;
    const out = new Float32Array(n);
    const c = params.channel === 'luminance' ? -1 : CHANNELS.indexOf(params.channel);
    for (let i = 0; i < n; i++) {
      out[i] = c >= 0 ? d[i * 3 + c] / 255 : Math.min(1, (0.2126 * d[i * 3] + 0.7152 * d[i * 3 + 1] + 0.0722 * d[i * 3 + 2]) / 255);
    }
    return { mask: new MaskValue(image.width, image.height, out) };
  },
});
