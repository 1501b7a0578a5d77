import { compose, type ComposeOptions, type Composition } from './compose.js';
import { renderComposition, type RenderOptions } from './render.js';

export { MOODS, MOOD_ALIASES, PRESETS, canonicalMood, type Mood, type PresetName } from './moods.js';
export { KEY_NAMES, type KeyName } from './theory.js';
export { videoPace } from './pace.js';
export type { Composition } from './compose.js';

/** Composes a piece for the clip and renders it: interleaved stereo at `sampleRate`, and what was written. */
export async function composeMusic(o: ComposeOptions & RenderOptions): Promise<{ samples: Float32Array; composition: Composition }> {
  const composition = compose(o);
  const samples = await renderComposition(composition, o);
  return { samples, composition };
}
