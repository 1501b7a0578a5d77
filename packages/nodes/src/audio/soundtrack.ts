import { defineNode, p, UserError } from '@kinegraph/graph-core';
import { AudioValue } from '../values/audio.js';
import { VideoValue } from '../values/video.js';
import { MOODS, synthesizeAmbient } from './ambient-synth.js';

const SAMPLE_RATE = 48_000;
const MAX_SECONDS = 600;

export const Soundtrack = defineNode({
  type: 'Soundtrack',
  category: 'audio',
  title: 'Ambient Soundtrack',
  description:
    'Generates an ambient soundtrack: a slow chord pad over a swelling noise bed, faded in and out. The mood picks key, colour and pace; the seed picks the progression. As long as the connected video, or the duration given.',
  version: 1,
  inputs: { video: { type: 'VIDEO', optional: true, description: 'Sets the duration to the video length' } },
  outputs: { audio: { type: 'AUDIO' } },
  params: {
    mood: p.choice(MOODS, { default: 'calm', label: 'Mood' }),
    seed: p.seed({ default: 0 }),
    duration: p.float({ default: 0, min: 0, max: MAX_SECONDS, step: 0.5, label: 'Duration (s)', description: '0: the length of the connected video' }),
    volume: p.float({ default: 0.5, min: 0, max: 1, step: 0.05, slider: true, label: 'Volume' }),
    fade_in: p.float({ default: 1.5, min: 0, max: 30, step: 0.1, label: 'Fade in (s)', advanced: true }),
    fade_out: p.float({ default: 2, min: 0, max: 30, step: 0.1, label: 'Fade out (s)', advanced: true }),
  },
  cache: 'seeded',
  concurrencySafe: true,
  async execute(ctx, inputs, params) {
    const video = inputs.video instanceof VideoValue ? inputs.video : undefined;
    const seconds = params.duration > 0 ? params.duration : video ? video.frameCount / video.fps : 0;
    if (!(seconds > 0)) throw new UserError('Set a duration or connect a video', 'duration');
    if (seconds > MAX_SECONDS) throw new UserError(`The video is ${seconds.toFixed(0)} s long; soundtracks go up to ${MAX_SECONDS} s`, 'duration');
    ctx.throwIfAborted();
    const samples = await synthesizeAmbient({
      mood: params.mood,
      seed: params.seed,
      seconds,
      sampleRate: SAMPLE_RATE,
      volume: params.volume,
      fadeIn: params.fade_in,
      fadeOut: params.fade_out,
      onProgress: (fraction) => ctx.progress(Math.round(fraction * 100), 100),
    });
    return { audio: new AudioValue(SAMPLE_RATE, 2, samples) };
  },
});
