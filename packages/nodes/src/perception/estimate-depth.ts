import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { DEPTH, IMAGE } from '../sockets.js';
import { depthPreviewPng } from './depth/colormap.js';
import { estimateDepth } from './depth/estimate.js';
import { perceptionImage } from './image-input.js';

export const EstimateDepth = defineNode({
  type: 'EstimateDepth',
  category: 'perception',
  title: 'Estimate Depth',
  description:
    'A relative depth cue from one photo with FastDepth (a small network trained on indoor scenes: good at people and rooms, weak on open landscapes and skies). The DEPTH is inverse depth scaled to 0..1 per picture (1 = nearest), at the photo size, its edges snapped to the colour edges of the photo by joint bilateral upsampling.',
  version: 1,
  inputs: { image: input(IMAGE) },
  outputs: { depth: output(DEPTH) },
  params: {
    refine: p.bool({
      default: true,
      label: 'Refine edges',
      description: 'Joint bilateral upsampling with the photo: depth edges follow the photo instead of the 224x224 network grid',
    }),
    flip_average: p.bool({
      default: false,
      label: 'Mirror average',
      description: 'Also run on the mirrored photo and average: steadier, twice the inference time',
      advanced: true,
    }),
  },
  cache: 'pure',
  concurrencySafe: true,
  async execute(ctx, inputs, params) {
    const image = perceptionImage(inputs.image);
    ctx.progress(0, 1);
    const { depth } = await estimateDepth(image, { refine: params.refine, flipAverage: params.flip_average, log: ctx.log });
    const preview = await depthPreviewPng(depth, 'turbo', 256);
    ctx.progress(1, 1, { mime: 'image/png', data: preview.png, width: preview.width, height: preview.height });
    return { depth };
  },
});
