import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { defineNode, input, p } from '@kinegraph/graph-core';
import { IMAGE } from '../sockets.js';
import { checkPrefixParam, writeNewOutputFile, writesOutputFile } from '../host/output-files.js';
import { addPngText } from '../metadata/png-text.js';
import { PNG_WORKFLOW_KEYWORD, workflowText } from '../metadata/workflow-text.js';
import { PathsToken } from '../services.js';
import { ImageValue } from '../values/image.js';

/** Encodes an IMAGE as PNG with the workflow in a tEXt chunk (so the file alone restores the graph). */
export async function encodePngWithWorkflow(image: ImageValue, workflow: unknown): Promise<Buffer> {
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return addPngText(png, PNG_WORKFLOW_KEYWORD, workflowText(workflow));
}

export const SaveImage = defineNode({
  type: 'SaveImage',
  category: 'image',
  title: 'Save Image',
  description:
    'Writes the picture as a PNG into the output folder as <prefix>_00001.png (never overwriting), with the workflow embedded. Reruns with nothing changed upstream reuse the file already written.',
  version: 1,
  inputs: { image: input(IMAGE) },
  outputs: {},
  params: {
    filename_prefix: p.string({ default: 'kinegraph', label: 'Filename prefix', maxLength: 80 }),
  },
  ...writesOutputFile,
  checkParams: checkPrefixParam,
  async execute(ctx, inputs, params) {
    const image = inputs.image;
    const png = await encodePngWithWorkflow(image, ctx.workflow);
    const { outputDir } = ctx.services.get(PathsToken);
    const filename = await writeNewOutputFile(outputDir, params.filename_prefix, 'png', (partial) => writeFile(partial, png));
    ctx.ui({ kind: 'image', filename, folder: 'output', mime: 'image/png', data: { width: image.width, height: image.height } });
    return {};
  },
});
