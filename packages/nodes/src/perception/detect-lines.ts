import { defineNode, input, INT, output, p } from '@kinegraph/graph-core';
import sharp from 'sharp';
import { IMAGE, LINES } from '../sockets.js';
import { perceptionImage } from './image-input.js';
import { detectLines } from './lines/detect.js';
import { drawSegments } from './lines/draw.js';
import { LinesValue } from './lines/lines-value.js';
import { MLSD_MODEL_IDS, MLSD_VARIANTS } from './lines/mlsd-model.js';

export const DetectLines = defineNode({
  type: 'DetectLines',
  category: 'perception',
  title: 'Detect Lines',
  description:
    'Finds straight line segments (building edges, door frames, tree trunks, horizons) with M-LSD. tiny_512 is the default (about 0.1 s); large is slower and finds a few more; 320 is faster and coarser. The preview draws them over the darkened picture: vertical in orange, horizontal in cyan, the rest in magenta.',
  version: 1,
  inputs: { image: input(IMAGE) },
  outputs: { lines: output(LINES), preview: output(IMAGE), count: output(INT) },
  params: {
    model: p.choice(MLSD_MODEL_IDS, { default: 'tiny_512', label: 'Model' }),
    threshold: p.float({
      default: 0.1,
      min: 0.01,
      max: 1,
      step: 0.01,
      label: 'Min score',
      description: 'Centre score a segment needs (the M-LSD demo uses 0.1); higher keeps only clear edges',
    }),
    min_length: p.float({
      default: 0.03,
      min: 0,
      max: 1,
      step: 0.01,
      label: 'Min length',
      description: 'As a share of the picture diagonal',
    }),
    max_lines: p.int({ default: 512, min: 1, max: 4096, label: 'Max lines', advanced: true }),
  },
  cache: 'pure',
  concurrencySafe: true,
  async execute(ctx, inputs, params) {
    const image = perceptionImage(inputs.image);
    ctx.progress(0, 1);
    const { segments } = await detectLines(image, {
      model: params.model,
      threshold: params.threshold,
      minLength: params.min_length,
      maxLines: params.max_lines,
      log: ctx.log,
    });
    const lines = new LinesValue(image.width, image.height, segments, MLSD_VARIANTS[params.model].spec.title);
    const preview = drawSegments(image, segments);
    const small = await sharp(preview.data, { raw: { width: preview.width, height: preview.height, channels: 3 } })
      .resize(256, 256, { fit: 'inside' })
      .png()
      .toBuffer({ resolveWithObject: true });
    ctx.progress(1, 1, { mime: 'image/png', data: small.data, width: small.info.width, height: small.info.height });
    return { lines, preview, count: lines.count };
  },
});
