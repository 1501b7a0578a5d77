import { defineNode, input, output } from '@kinegraph/graph-core';
import { LATENT, VAE, VIDEO } from '../../sockets.js';

/** Video LATENT → VIDEO through the model's VAE. The built-in model renders frames lazily, as they are written. */
export const DecodeVideo = defineNode({
  type: 'DecodeVideo',
  category: 'latent',
  title: 'Decode Video',
  description: 'Turns the video latent from Denoise into frames (VIDEO with its frame rate).',
  version: 1,
  inputs: {
    vae: input(VAE),
    latent: input(LATENT),
  },
  outputs: { video: output(VIDEO) },
  params: {},
  cache: 'pure',
  async execute(ctx, inputs) {
    return { video: await inputs.vae.decode(ctx, inputs.latent) };
  },
});
