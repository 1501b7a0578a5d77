import { defineNode, INT, output, p } from '@kinegraph/graph-core';
import { IMAGE } from '../sockets.js';
import { resolveFileParam } from '../host/resolve-input.js';
import { PathsToken } from '../services.js';
import { decodeImageFile } from './decode-image.js';

export const LoadImage = defineNode({
  type: 'LoadImage',
  category: 'image',
  title: 'Load Image',
  description: 'Reads a JPEG, PNG, WebP, AVIF or TIFF photo (EXIF orientation applied, transparency flattened onto white).',
  version: 1,
  inputs: {},
  outputs: {
    image: output(IMAGE),
    width: output(INT, { description: 'Width in pixels, after EXIF rotation' }),
    height: output(INT, { description: 'Height in pixels, after EXIF rotation' }),
  },
  params: {
    image: p.file({ accept: 'image', label: 'Image', description: 'A file in the input folder (or a path, from the command line)' }),
  },
  cache: 'file',
  fileRefs: (params) => [params.image],
  concurrencySafe: true,
  async execute(ctx, _inputs, params) {
    const file = resolveFileParam(ctx.services.get(PathsToken), params.image, 'image');
    const image = await decodeImageFile(file, params.image);
    return { image, width: image.width, height: image.height };
  },
});
