import { writeFile } from 'node:fs/promises';
import { defineNode, input, p } from '@kinegraph/graph-core';
import { DEPTH } from '../sockets.js';
import { writeNewOutputFile, writesOutputFile } from '../host/output-files.js';
import { PathsToken } from '../services.js';
import { depthPreviewPng } from './depth/colormap.js';

export const PreviewDepth = defineNode({
  type: 'PreviewDepth',
  category: 'perception',
  title: 'Preview Depth',
  description: 'Shows a DEPTH in the editor as a picture in the temp folder: turbo (red near, blue far) or grey (white near).',
  version: 1,
  inputs: { depth: input(DEPTH) },
  outputs: {},
  params: {
    colormap: p.choice(['turbo', 'grey'] as const, { default: 'turbo', label: 'Colours' }),
    max_size: p.int({ default: 1024, min: 64, max: 8192, step: 16, label: 'Longest side', advanced: true }),
  },
  ...writesOutputFile,
  async execute(ctx, inputs, params) {
    const depth = inputs.depth;
    const { png, width, height } = await depthPreviewPng(depth, params.colormap, params.max_size);
    const { tempDir } = ctx.services.get(PathsToken);
    const filename = await writeNewOutputFile(tempDir, 'depth', 'png', (partial) => writeFile(partial, png));
    ctx.ui({ kind: 'image', filename, folder: 'temp', mime: 'image/png', data: { width, height } });
    return {};
  },
});
