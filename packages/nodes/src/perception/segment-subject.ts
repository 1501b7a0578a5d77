import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { IMAGE, MASK } from '../sockets.js';
import { modelCacheDir } from './converter/model-cache.js';
import { perceptionImage } from './image-input.js';
import { personProbabilities, refineMatte } from './person-matte/person-matte.js';
import { PERSON_MODELS } from './person-matte/person-models.js';
import { loadPersonModel } from './person-matte/person-session.js';

const MODELS = ['person', 'auto'] as const;

export const SegmentSubject = defineNode({
  type: 'SegmentSubject',
  category: 'perception',
  title: 'Segment Subject',
  description:
    'A soft matte of the subject at the photo\'s full resolution (1 = subject). person: MediaPipe selfie segmentation, refined to the photo\'s edges with a guided filter. auto: the person matte too, until a salient-object model ships.',
  version: 1,
  inputs: { image: input(IMAGE) },
  outputs: { mask: output(MASK) },
  params: {
    model: p.choice(MODELS, { default: 'person', label: 'Model' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  async execute(ctx, inputs) {
    const image = perceptionImage(inputs.image);
    ctx.progress(0, 3);
    // Loaded once per process (converted to ONNX once, kept in the data folder's model cache).
    const model = await loadPersonModel(PERSON_MODELS.selfie, { cacheDir: modelCacheDir(ctx.services), log: ctx.log });
    ctx.progress(1, 3);
    const prob = await personProbabilities(model, image);
    ctx.progress(2, 3);
    const mask = await refineMatte(image, prob, model.spec.width, model.spec.height);
    ctx.progress(3, 3);
    return { mask };
  },
});
