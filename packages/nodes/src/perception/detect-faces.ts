import { defineNode, input, INT, output, p } from '@kinegraph/graph-core';
import { FACES, IMAGE, MASK } from '../sockets.js';
import { FacesValue } from '../values/faces.js';
import { detectFaces, type FaceModelChoice } from './faces/detect.js';
import { faceMask } from './faces/face-mask.js';
import { perceptionImage } from './image-input.js';

const MODELS = ['both', 'short_range', 'full_range'] as const;
const MODEL_CHOICE: Record<(typeof MODELS)[number], FaceModelChoice> = { both: 'both', short_range: 'short', full_range: 'full' };
const MODEL_LABEL: Record<FaceModelChoice, string> = {
  both: 'blazeface short+full range',
  short: 'blazeface short range',
  full: 'blazeface full range',
};

export const DetectFaces = defineNode({
  type: 'DetectFaces',
  category: 'perception',
  title: 'Detect Faces',
  description:
    'Finds faces with MediaPipe BlazeFace (boxes, eyes, nose, mouth and ears) and gives a MASK over them. short_range suits faces filling a good part of the frame, full_range smaller ones; both runs the two and merges them. Faces much smaller than a twentieth of the longer side are missed.',
  version: 1,
  inputs: { image: input(IMAGE) },
  outputs: { faces: output(FACES), mask: output(MASK), count: output(INT) },
  params: {
    model: p.choice(MODELS, { default: 'both', label: 'Model' }),
    threshold: p.float({
      default: 0.75,
      min: 0.05,
      max: 1,
      step: 0.05,
      label: 'Min confidence',
      description: 'Lower finds turned and partly hidden faces, and more false ones (on landscapes up to 0.64 was seen)',
    }),
    max_faces: p.int({ default: 32, min: 1, max: 256, label: 'Max faces', advanced: true }),
    mask_shape: p.choice(['ellipse', 'box'] as const, { default: 'ellipse', label: 'Mask shape' }),
    mask_scale: p.float({
      default: 1.2,
      min: 0.5,
      max: 3,
      step: 0.05,
      label: 'Mask scale',
      description: 'Size of each mask shape relative to the face box (the box spans brows to chin)',
    }),
  },
  cache: 'pure',
  concurrencySafe: true,
  async execute(ctx, inputs, params) {
    const image = perceptionImage(inputs.image);
    const model = MODEL_CHOICE[params.model];
    ctx.progress(0, 1);
    const { faces } = await detectFaces(image, { model, threshold: params.threshold, maxFaces: params.max_faces, log: ctx.log });
    ctx.progress(1, 1);
    const value = new FacesValue(image.width, image.height, faces, MODEL_LABEL[model]);
    return { faces: value, mask: faceMask(image.width, image.height, faces, params.mask_shape, params.mask_scale), count: faces.length };
  },
});
