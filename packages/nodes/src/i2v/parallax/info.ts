import { createHash } from 'node:crypto';
import type { ModelInfo } from '../../model/handles.js';

export const PARALLAX_ID = 'builtin/parallax-v1';
/** Bumped whenever the analysis or renderer changes output, so cached results from older code are not reused. */
export const PARALLAX_REVISION = '1.0.0';

export const parallaxInfo: ModelInfo = {
  id: PARALLAX_ID,
  kind: 'video',
  family: 'parallax',
  title: 'Parallax v1 (built-in)',
  description:
    'Classical photo-to-video: layered depth from focus, colour and position cues, a virtual camera with true parallax, seeded ambient motion of sky, water and vegetation. Runs on any CPU, no download.',
  hash: createHash('sha256').update(`${PARALLAX_ID}@${PARALLAX_REVISION}`).digest('hex'),
  samplers: ['default'],
  schedulers: ['default'],
};
