import type { ModelBundle, ModelProvider } from '../../model/handles.js';
import { PARALLAX_PROFILES, PARALLAX_V1, PARALLAX_V2, type ParallaxProfile } from './profiles.js';
import { makeParallaxTextEncoder, parallaxTextEncoder } from './text-encoder.js';
import { makeParallaxVae, parallaxVae } from './vae.js';
import { makeParallaxModel, parallaxModel } from './video-model.js';

function bundleOf(profile: ParallaxProfile): ModelBundle {
  if (profile === PARALLAX_V1) return { model: parallaxModel, vae: parallaxVae, textEncoder: parallaxTextEncoder };
  return { model: makeParallaxModel(profile), vae: makeParallaxVae(profile), textEncoder: makeParallaxTextEncoder(profile) };
}

/** builtin/parallax-v1 (kept for older workflows). */
export const parallaxBundle: ModelBundle = bundleOf(PARALLAX_V1);
/** builtin/parallax-v2, the default. */
export const parallaxV2Bundle: ModelBundle = bundleOf(PARALLAX_V2);

const bundles = new Map<string, ModelBundle>([
  [PARALLAX_V1.info.id, parallaxBundle],
  [PARALLAX_V2.info.id, parallaxV2Bundle],
]);

/** Serves the built-in parallax models (v2 first, the default; v1 for older workflows): always there, nothing to load. */
export const parallaxProvider: ModelProvider = {
  async list() {
    return PARALLAX_PROFILES.map((p) => p.info);
  },
  async load(id: string) {
    return bundles.get(id);
  },
};
