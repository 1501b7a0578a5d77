import sharp from 'sharp';
import { defineNode, input, INT, output, p, UserError } from '@kinegraph/graph-core';
import { IMAGE } from '../sockets.js';
import { ImageValue } from '../values/image.js';
import { resizePlan } from './resize-plan.js';

const FITS = ['fit', 'crop', 'pad', 'stretch'] as const;
const SHARP_FIT = { fit: 'cover', crop: 'cover', pad: 'contain', stretch: 'fill' } as const;

export const ResizeImage = defineNode({
  type: 'ResizeImage',
  category: 'image',
  title: 'Resize Image',
  description:
    'Scales a picture with Lanczos filtering. fit: keep it whole (size follows its aspect ratio); crop: fill the box and cut the overflow from the centre; pad: keep it whole and fill the rest with black; stretch: ignore the aspect ratio.',
  version: 1,
  inputs: { image: input(IMAGE) },
  outputs: { image: output(IMAGE), width: output(INT), height: output(INT) },
  params: {
    width: p.int({ default: 1280, min: 0, max: 8192, step: 8, description: '0: from the height and the aspect ratio' }),
    height: p.int({ default: 720, min: 0, max: 8192, step: 8, description: '0: from the width and the aspect ratio' }),
    mode: p.choice(FITS, { default: 'crop', label: 'Resize mode' }),
    multiple_of: p.int({
      default: 8,
      min: 1,
      max: 256,
      label: 'Multiple of',
      description: 'Both sides are rounded to a multiple of this',
      advanced: true,
    }),
  },
  cache: 'pure',
  concurrencySafe: true,
  async execute(ctx, inputs, params) {
    const src = inputs.image;
    const size = resizePlan(src, params, params.mode, params.multiple_of);
    if (size.width * size.height > 64_000_000) throw new UserError(`${size.width}x${size.height} is over the 64 MP limit`, 'width');
    ctx.throwIfAborted();
    const data = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
      .resize(size.width, size.height, { fit: SHARP_FIT[params.mode], position: 'centre', kernel: 'lanczos3', background: '#000000' })
      .removeAlpha()
      .raw()
      .toBuffer();
    const image = new ImageValue(size.width, size.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { image, width: image.width, height: image.height };
  },
});
