import { defineNode, UserError } from '@kinegraph/graph-core';
import type { VaeHandle } from '../../model/handles.js';
import { LatentValue } from '../../values/latent.js';
import { requireHandle } from './require-handle.js';

/** Video LATENT → VIDEO through the model's VAE. The built-in model renders frames lazily, as they are written. */
export const DecodeVideo = defineNode({
  type: 'DecodeVideo',
  category: 'latent',
  title: 'Decode Video',
  description: 'Turns the video latent from Denoise into frames (VIDEO with its frame rate).',
  version: 1,
  inputs: {
    vae: { type: 'VAE' },
    latent: { type: 'LATENT' },
  },
  outputs: { video: { type: 'VIDEO' } },
  params: {},
  cache: 'pure',
  async execute(ctx, inputs) {
    const vae = requireHandle<VaeHandle>(inputs.vae, 'vae', 'VAE');
    if (!(inputs.latent instanceof LatentValue)) throw new UserError('The latent input is not a LATENT', 'latent');
    return { video: await vae.decode(ctx, inputs.latent) };
  },
});
