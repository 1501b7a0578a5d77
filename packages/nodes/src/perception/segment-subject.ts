import { defineNode, input, output, p, type Logger } from '@kinegraph/graph-core';
import { IMAGE, MASK } from '../sockets.js';
import type { ImageValue } from '../values/image.js';
import { MaskValue } from '../values/mask.js';
import { modelCacheDir } from './converter/model-cache.js';
import { detectFaces } from './faces/detect.js';
import { perceptionImage } from './image-input.js';
import { addPeopleAtFaces } from './person-matte/people-at-faces.js';
import { personProbabilities, refineMatte } from './person-matte/person-matte.js';
import { PERSON_MODELS } from './person-matte/person-models.js';
import { loadPersonModel } from './person-matte/person-session.js';
import { salientProbabilities } from './salient/salient-matte.js';
import { U2NETP_SIZE } from './salient/u2netp-model.js';

const MODELS = ['person', 'salient', 'auto'] as const;

/**
 * auto: the share of the selfie network's pixels above 0.5 from which the photo is taken to show a person.
 * Measured (share at 256²): people 0.16 (footballer) to 0.58 (portrait); the plant 0.08, landscapes up to
 * 0.06 (Kite). A small person under it gets the salient matte, which on people agrees with the person one
 * (IoU 0.99 portrait, 0.85 footballer).
 */
export const AUTO_PERSON_COVERAGE = 0.1;

export const SegmentSubject = defineNode({
  type: 'SegmentSubject',
  category: 'perception',
  title: 'Segment Subject',
  description:
    "A soft matte of the subject at the photo's full resolution (1 = subject), refined to the photo's edges with a guided filter. person: MediaPipe selfie segmentation. salient: U²-Net-p, the most salient object whatever it is. auto: the person matte when the photo shows a person, else the salient one. A face the person matte leaves uncovered (a small, full-length figure) gets a second look on a crop around it.",
  // 2: the second look at uncovered faces (person and auto).
  version: 2,
  inputs: { image: input(IMAGE) },
  outputs: { mask: output(MASK) },
  params: {
    model: p.choice(MODELS, { default: 'person', label: 'Model' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  async execute(ctx, inputs, params) {
    const image = perceptionImage(inputs.image);
    ctx.progress(0, 3);
    let mask: MaskValue;
    if (params.model === 'salient') {
      mask = await salientMatte(image, ctx.log, () => ctx.progress(2, 3));
    } else {
      // Loaded once per process (converted to ONNX once, kept in the data folder's model cache).
      const model = await loadPersonModel(PERSON_MODELS.selfie, { cacheDir: modelCacheDir(ctx.services), log: ctx.log });
      ctx.progress(1, 3);
      const prob = await personProbabilities(model, image);
      ctx.progress(2, 3);
      const faces = (await detectFaces(image, { model: 'both', threshold: 0.75, maxFaces: 8, log: ctx.log })).faces;
      const few = coverage(prob) < AUTO_PERSON_COVERAGE;
      if (params.model === 'auto' && few && !faces.length) {
        ctx.progress(3, 3);
        return { mask: await salientMatte(image, ctx.log) };
      }
      const refined = await refineMatte(image, prob, model.spec.width, model.spec.height);
      const joined = await addPeopleAtFaces(model, image, refined.data, faces);
      const person = joined.added ? new MaskValue(image.width, image.height, joined.matte) : refined;
      // auto: a photo counts as showing a person when the network covers enough of it, or a face's crop found one.
      const showsPerson = !few || joined.added > 0;
      mask = params.model === 'auto' && !showsPerson ? await salientMatte(image, ctx.log) : person;
    }
    ctx.progress(3, 3);
    return { mask };
  },
});

async function salientMatte(image: ImageValue, log: Logger, done?: () => void): Promise<MaskValue> {
  const prob = await salientProbabilities(image, log);
  done?.();
  return refineMatte(image, prob, U2NETP_SIZE, U2NETP_SIZE);
}

/** Share of the network's pixels above 0.5. */
export function coverage(prob: Float32Array): number {
  let n = 0;
  for (const v of prob) if (v > 0.5) n++;
  return n / prob.length;
}
