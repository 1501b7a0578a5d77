import { p } from '@kinegraph/graph-core';
import { DURATIONS, RESOLUTIONS } from './models.js';

/** The parameters both MiniMax nodes share (the model list differs). */
export const sharedParams = {
  prompt: p.string({
    multiline: true,
    label: 'Prompt',
    maxLength: 2000,
    placeholder: 'subject action, environment, camera [Pan left, Zoom in]',
    description: 'Sent to MiniMax as written, [bracket] camera commands included (up to 3 per bracket)',
  }),
  duration: p.choice(DURATIONS, { default: '6', label: 'Duration (s)' }),
  resolution: p.choice(RESOLUTIONS, {
    default: '768P',
    label: 'Resolution',
    description: 'The 01 models make 720P; Hailuo 768P or 1080P (Hailuo 02 image-to-video also 512P)',
  }),
  prompt_optimizer: p.bool({
    default: true,
    label: 'Prompt optimizer',
    description: 'Let MiniMax rewrite the prompt for quality; off for exact control of the camera commands',
  }),
};
