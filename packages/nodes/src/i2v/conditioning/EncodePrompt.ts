import { defineNode, p } from '@kinegraph/graph-core';
import type { TextEncoderHandle } from '../../model/handles.js';
import { requireHandle } from '../latent/require-handle.js';

/** Text → CONDITIONING. Shows what the model understood and warns about words it ignored. */
export const EncodePrompt = defineNode({
  type: 'EncodePrompt',
  category: 'conditioning',
  title: 'Encode Prompt',
  description:
    'Describes the motion: "subject action, environment, camera", e.g. "she breathes softly, waves roll in, clouds drift left, slow push in". Camera commands also in the bracket form [Pan left, Zoom in]. Use one for the positive and one for the negative prompt.',
  version: 1,
  inputs: { text_encoder: { type: 'TEXT_ENCODER' } },
  outputs: { conditioning: { type: 'CONDITIONING' } },
  params: {
    text: p.string({ multiline: true, label: 'Prompt', maxLength: 4000, placeholder: 'subject action, environment, camera' }),
  },
  cache: 'pure',
  async execute(ctx, inputs, params) {
    const encoder = requireHandle<TextEncoderHandle>(inputs.text_encoder, 'text_encoder', 'TEXT_ENCODER');
    const conditioning = await encoder.encode(ctx, params.text);
    const parsed = conditioning.parsed as { ignored?: string[]; conflicts?: string[]; summary?: string; empty?: boolean };
    if (parsed.ignored?.length) ctx.warn(`Ignored words: ${parsed.ignored.join(', ')}`, 'text');
    for (const pair of parsed.conflicts ?? []) ctx.warn(`Camera moves ${pair} pull in opposite directions and mostly cancel out: keep one`, 'text');
    if (parsed.empty && params.text.trim()) ctx.warn('No motion words understood: the camera stays still. Try "subject action, environment, camera".', 'text');
    if (parsed.summary) ctx.ui({ kind: 'text', text: parsed.summary, data: { understood: conditioning.parsed.understood, ignored: parsed.ignored } });
    return { conditioning };
  },
});
