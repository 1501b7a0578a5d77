import { defineNode, output, p } from '@kinegraph/graph-core';
import { MODEL, TEXT_ENCODER, VAE } from '../../sockets.js';
import { ModelRegistryToken } from '../../services.js';
import { DEFAULT_PARALLAX_ID, PARALLAX_ID } from '../parallax/info.js';

/** Loads a video model from the registry; its three handles drive EncodeImage, EncodePrompt, Denoise and DecodeVideo. */
export const LoadModel = defineNode({
  type: 'LoadModel',
  category: 'model',
  title: 'Load Model',
  description: `Chooses the video model. ${DEFAULT_PARALLAX_ID} is built in and runs on any CPU (${PARALLAX_ID} stays for older workflows); ONNX models from the models folder appear here too.`,
  version: 1,
  inputs: {},
  outputs: {
    model: output(MODEL, { description: 'The motion model (Denoise)' }),
    vae: output(VAE, { description: 'Its image codec (EncodeImage, DecodeVideo)' }),
    text_encoder: output(TEXT_ENCODER, { description: 'Its prompt encoder (EncodePrompt)' }),
  },
  params: {
    model: p.model({ kind: 'video', default: DEFAULT_PARALLAX_ID, label: 'Model' }),
  },
  cache: 'pure',
  async execute(ctx, _inputs, params) {
    const registry = ctx.services.get(ModelRegistryToken);
    const bundle = await registry.load(params.model, ctx.signal);
    return { model: bundle.model, vae: bundle.vae, text_encoder: bundle.textEncoder };
  },
});
