import { writeFile } from 'node:fs/promises';
import { defineNode, input, p } from '@kinegraph/graph-core';
import { MASK } from '../sockets.js';
import { writeNewOutputFile, writesOutputFile } from '../host/output-files.js';
import { PathsToken } from '../services.js';
import { maskPreviewPng } from '../values/mask.js';
import { maskInput } from './mask-input.js';

export const PreviewMask = defineNode({
  type: 'PreviewMask',
  category: 'mask',
  title: 'Preview Mask',
  description: 'Shows the mask in the editor as a grey PNG (white = inside) in the temp folder; nothing lands in the output folder.',
  version: 1,
  inputs: { mask: input(MASK) },
  outputs: {},
  params: {
    max_size: p.int({ default: 1024, min: 64, max: 8192, step: 16, label: 'Longest side', advanced: true }),
  },
  ...writesOutputFile,
  async execute(ctx, inputs, params) {
    const mask = maskInput(inputs.mask);
    const { png, width, height } = await maskPreviewPng(mask, params.max_size);
    const { tempDir } = ctx.services.get(PathsToken);
    const filename = await writeNewOutputFile(tempDir, 'mask', 'png', (partial) => writeFile(partial, png));
    ctx.ui({ kind: 'image', filename, folder: 'temp', mime: 'image/png', data: { width, height, coverage: mask.coverage() } });
    return {};
  },
});
