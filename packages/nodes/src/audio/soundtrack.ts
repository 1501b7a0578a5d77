import { defineNode, input, output, p, UserError, WidgetKind, withHint } from '@kinegraph/graph-core';
import { AUDIO, VIDEO } from '../sockets.js';
import { z } from 'zod';
import { AudioValue } from '../values/audio.js';
import { emitAudioPreview, previewFilesExist } from './audio-preview.js';
import { canonicalMood, composeMusic, KEY_NAMES, MOOD_ALIASES, MOODS, PRESETS, videoPace } from './music/index.js';

const SAMPLE_RATE = 48_000;
const MAX_SECONDS = 600;
const MIN_BPM = 40;

/**
 * The mood: one of MOODS. The first Soundtrack's names (warm, dark, bright) are still read, as the mood
 * each now plays, so a workflow saved before still validates and runs (migrateParams does the same for
 * documents that record version 1; this covers values arriving through a link or an unversioned node).
 */
const moodParam = withHint(z.preprocess(canonicalMood, z.enum(MOODS)).default('calm'), {
  widget: WidgetKind.choice,
  label: 'Mood',
  default: 'calm',
  choices: [...MOODS],
  socket: 'STRING',
  description: `Sets scale, tempo range, progressions and the instruments; older names ${Object.keys(MOOD_ALIASES).join(', ')} still work`,
});

export const Soundtrack = defineNode({
  type: 'Soundtrack',
  category: 'audio',
  title: 'Soundtrack',
  description:
    "Composes music for the clip: a chord progression in the mood's scale, a seeded melody, bass, harmony and soft drums that build over the clip and resolve on the tonic exactly as it ends (the tempo is nudged so whole beats fit). Synthesised here (pads, piano, plucks, mallets, bells, bass, percussion, a stereo room) at 48 kHz stereo. As long as the connected video, or the duration given.",
  version: 2,
  inputs: { video: input(VIDEO, { optional: true, description: 'Sets the duration to the video length, and the auto tempo by its pace' }) },
  outputs: { audio: output(AUDIO) },
  params: {
    mood: moodParam,
    tempo: p.int({
      default: 0,
      min: 0,
      max: 200,
      label: 'Tempo (BPM)',
      description: `0: auto, from the mood's range placed by the clip's pace; else ${MIN_BPM}-200`,
    }),
    key: p.choice(['auto', ...KEY_NAMES], { default: 'auto', label: 'Key', description: 'auto: the seed picks one that suits the mood' }),
    instruments: p.choice(['auto', ...PRESETS], { default: 'auto', label: 'Instruments', description: "auto: the mood's own" }),
    seed: p.seed({ default: 0 }),
    duration: p.float({
      default: 0,
      min: 0,
      max: MAX_SECONDS,
      step: 0.5,
      label: 'Duration (s)',
      description: '0: the length of the connected video',
    }),
    volume: p.float({
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      slider: true,
      label: 'Volume',
      description: 'Peak level; SaveVideo normalises the loudness anyway',
    }),
    fade_in: p.float({ default: 0.5, min: 0, max: 30, step: 0.1, label: 'Fade in (s)', advanced: true }),
    fade_out: p.float({ default: 1.5, min: 0, max: 30, step: 0.1, label: 'Fade out (s)', advanced: true }),
  },
  cache: 'seeded',
  concurrencySafe: true,
  isResultValid: previewFilesExist,
  migrateParams(from, params) {
    // Version 1 had five moods; three of their names became aliases.
    if (from < 2) return { ...params, mood: canonicalMood(params.mood) };
    return params;
  },
  checkParams(params) {
    return params.tempo > 0 && params.tempo < MIN_BPM
      ? [['tempo', `Tempo ${params.tempo} BPM is too slow: 0 (auto) or ${MIN_BPM}-200`]]
      : [];
  },
  async execute(ctx, inputs, params) {
    const video = inputs.video;
    const seconds = params.duration > 0 ? params.duration : video ? video.frameCount / video.fps : 0;
    if (!(seconds > 0)) throw new UserError('Set a duration or connect a video', 'duration');
    if (seconds > MAX_SECONDS)
      throw new UserError(`The video is ${seconds.toFixed(0)} s long; soundtracks go up to ${MAX_SECONDS} s`, 'duration');
    if (params.tempo > 0 && params.tempo < MIN_BPM)
      throw new UserError(`Tempo ${params.tempo} BPM is too slow: 0 (auto) or ${MIN_BPM}-200`, 'tempo');
    ctx.throwIfAborted();
    const pace = params.tempo === 0 && video ? await videoPace(video, ctx.signal) : undefined;
    const { samples, composition } = await composeMusic({
      mood: params.mood,
      seconds,
      bpm: params.tempo > 0 ? params.tempo : undefined,
      pace,
      key: params.key === 'auto' ? undefined : params.key,
      preset: params.instruments === 'auto' ? undefined : params.instruments,
      seed: params.seed,
      sampleRate: SAMPLE_RATE,
      volume: params.volume,
      fadeIn: params.fade_in,
      fadeOut: params.fade_out,
      onProgress: async (fraction) => {
        ctx.progress(Math.round(fraction * 90), 100);
        // Long pieces take a while: let the event loop (a server) breathe between chunks.
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
    const audio = new AudioValue(SAMPLE_RATE, 2, samples);
    const { arrangement } = composition;
    await emitAudioPreview(ctx, audio, 'soundtrack', {
      mood: composition.mood,
      key: `${composition.key} ${composition.major ? 'major' : 'minor'}`,
      bpm: Math.round(arrangement.bpm * 10) / 10,
      bars: arrangement.bars.length,
      instruments: composition.preset,
    });
    ctx.progress(100, 100);
    return { audio };
  },
});
