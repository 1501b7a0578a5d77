import type { ModelBundle, ModelProvider } from '../../model/handles.js';
import { PARALLAX_ID, parallaxInfo } from './info.js';
import { parallaxTextEncoder } from './text-encoder.js';
import { parallaxVae } from './vae.js';
import { parallaxModel } from './video-model.js';

export const parallaxBundle: ModelBundle = { model: parallaxModel, vae: parallaxVae, textEncoder: parallaxTextEncoder };

/** Serves builtin/parallax-v1: always there, nothing to load. */
export const parallaxProvider: ModelProvider = {
  async list() {
    return [parallaxInfo];
  },
  async load(id: string) {
    return id === PARALLAX_ID ? parallaxBundle : undefined;
  },
};
