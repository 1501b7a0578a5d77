import { createHash } from 'node:crypto';
import type { ModelInfo } from '../../model/handles.js';

export const PARALLAX_ID = 'builtin/parallax-v1';
export const PARALLAX_V2_ID = 'builtin/parallax-v2';
/** The model LoadModel offers first. */
export const DEFAULT_PARALLAX_ID = PARALLAX_V2_ID;
/** Bumped whenever the analysis or renderer changes output, so cached results from older code are not reused. */
export const PARALLAX_REVISION = '1.0.0';
export const PARALLAX_V2_REVISION = '2.0.0';

const hash = (id: string, revision: string) => createHash('sha256').update(`${id}@${revision}`).digest('hex');

export const parallaxInfo: ModelInfo = {
  id: PARALLAX_ID,
  kind: 'video',
  family: 'parallax',
  title: 'Parallax v1 (built-in)',
  description:
    'Classical photo-to-video: layered depth from focus, colour and position cues, a virtual camera with true parallax, seeded ambient motion of sky, water and vegetation. Runs on any CPU, no download. Kept for older workflows.',
  hash: hash(PARALLAX_ID, PARALLAX_REVISION),
  samplers: ['default'],
  schedulers: ['default'],
};

export const parallaxV2Info: ModelInfo = {
  id: PARALLAX_V2_ID,
  kind: 'video',
  family: 'parallax',
  title: 'Parallax v2 (built-in)',
  description:
    'Parallax v1 recalibrated: moves a viewer sees at medium intensity, framed inside the photo (no invented edges unless asked), camera sequences ("[Push in] then [Pull out]"), negation, shake and tracking in prompts, seeds that change the ambient motion. Runs on any CPU, no download.',
  hash: hash(PARALLAX_V2_ID, PARALLAX_V2_REVISION),
  samplers: ['default'],
  schedulers: ['default'],
};
