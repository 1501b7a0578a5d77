import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { CONDITIONING, TEXT_ENCODER } from '../../sockets.js';

/** Text → CONDITIONING. Shows what the model understood and warns about words it ignored. */
export const EncodePrompt = defineNode({
  type: 'EncodePrompt',
  category: 'conditioning',
  title: 'Encode Prompt',
  description:
    'Describes the motion: "subject action, environment, camera", e.g. "she breathes softly, waves roll in, clouds drift left, slow push in". Camera commands also in the bracket form [Pan left, Zoom in]. Use one for the positive and one for the negative prompt.',
  version: 1,
  inputs: { text_encoder: input(TEXT_ENCODER) },
  outputs: { conditioning: output(CONDITIONING) },
  params: {
    text: p.string({ multiline: true, label: 'Prompt', maxLength: 4000, placeholder: 'subject action, environment, camera' }),
  },
  cache: 'pure',
  async execute(ctx, inputs, params) {
    const conditioning = await inputs.text_encoder.encode(ctx, params.text);
    const { report } = conditioning;
    if (report.ignored.length) ctx.warn(`Ignored words: ${report.ignored.join(', ')}`, 'text');
    for (const warning of report.warnings) ctx.warn(warning, 'text');
    if (report.summary) ctx.ui({ kind: 'text', text: report.summary, data: { understood: report.understood, ignored: report.ignored } });
    return { conditioning };
  },
});
