import { defineNode, input, output, p, UserError } from '@kinegraph/graph-core';
import { AUDIO } from '../sockets.js';
import { AudioValue } from '../values/audio.js';
import { emitAudioPreview, previewFilesExist } from './audio-preview.js';
import { duckingGain } from './dsp/ducking.js';
import { dbToGain } from './dsp/loudness.js';
import { remix, resample } from './dsp/resample.js';

const INPUTS = ['audio_1', 'audio_2', 'audio_3', 'audio_4'] as const;
const gain = (n: number) => p.float({ default: 0, min: -60, max: 12, step: 0.5, label: `Gain ${n} (dB)` });

export const MixAudio = defineNode({
  type: 'MixAudio',
  category: 'audio',
  title: 'Mix Audio',
  description:
    'Mixes two to four sounds, each with its gain, into one (at the highest sample rate among them, stereo when any is stereo, as long as the longest). Ducking lowers the others while one of them sounds (music under a voice-over), with attack, release and hold. Loudness is set later (NormalizeLoudness, or SaveVideo by default).',
  version: 1,
  inputs: {
    audio_1: input(AUDIO),
    audio_2: input(AUDIO),
    audio_3: input(AUDIO, { optional: true }),
    audio_4: input(AUDIO, { optional: true }),
  },
  outputs: { audio: output(AUDIO) },
  params: {
    gain_1: gain(1),
    gain_2: gain(2),
    gain_3: gain(3),
    gain_4: gain(4),
    duck_under: p.choice(['none', ...INPUTS], {
      default: 'none',
      label: 'Duck under',
      description: 'While this input sounds (speech), the others go down',
    }),
    duck_amount: p.float({ default: 12, min: 0, max: 40, step: 0.5, label: 'Duck by (dB)' }),
    attack: p.float({ default: 0.15, min: 0.005, max: 2, step: 0.005, label: 'Attack (s)', advanced: true }),
    release: p.float({ default: 0.6, min: 0.01, max: 5, step: 0.01, label: 'Release (s)', advanced: true }),
    hold: p.float({
      default: 0.35,
      min: 0,
      max: 5,
      step: 0.05,
      label: 'Hold (s)',
      description: 'Stays down through the gaps between words',
      advanced: true,
    }),
    threshold: p.float({
      default: -45,
      min: -80,
      max: 0,
      step: 1,
      label: 'Threshold (dBFS)',
      description: 'Level at which the ducking input counts as sounding',
      advanced: true,
    }),
  },
  cache: 'pure',
  concurrencySafe: true,
  isResultValid: previewFilesExist,
  async execute(ctx, inputs, params) {
    const sources: Array<{ name: (typeof INPUTS)[number]; audio: AudioValue; gain: number }> = [];
    INPUTS.forEach((name, i) => {
      const value = inputs[name];
      if (value === undefined) return;
      sources.push({ name, audio: value, gain: dbToGain(params[`gain_${i + 1}` as 'gain_1']) });
    });
    if (sources.length < 2) throw new UserError('Connect at least two sounds to mix', sources.length ? 'audio_2' : 'audio_1');
    const duckKey = params.duck_under === 'none' ? undefined : sources.find((s) => s.name === params.duck_under);
    if (params.duck_under !== 'none' && !duckKey)
      throw new UserError(`Ducking under ${params.duck_under}, which has nothing connected`, 'duck_under');

    const sampleRate = Math.max(...sources.map((s) => s.audio.sampleRate));
    const channels = sources.some((s) => s.audio.channels >= 2) ? 2 : 1;
    // Everything at one rate and channel count first.
    const tracks = sources.map((s) => {
      ctx.throwIfAborted();
      const a = s.audio;
      const atRate = resample(a.samples, a.channels, a.sampleRate, sampleRate);
      return { ...s, samples: remix(atRate, a.channels, channels) };
    });
    const frames = Math.max(...tracks.map((t) => t.samples.length / channels));
    const duck = duckKey
      ? duckingGain(tracks.find((t) => t.name === duckKey.name)!.samples, channels, frames, {
          sampleRate,
          amountDb: params.duck_amount,
          attack: params.attack,
          release: params.release,
          hold: params.hold,
          thresholdDb: params.threshold,
        })
      : undefined;
    const out = new Float32Array(frames * channels);
    for (const t of tracks) {
      const ducked = duck && t.name !== duckKey!.name ? duck : undefined;
      const n = t.samples.length / channels;
      for (let i = 0; i < n; i++) {
        const g = ducked ? t.gain * ducked[i] : t.gain;
        for (let c = 0; c < channels; c++) out[i * channels + c] += t.samples[i * channels + c] * g;
      }
    }
    const audio = new AudioValue(sampleRate, channels, out);
    await emitAudioPreview(ctx, audio, 'mix', { inputs: tracks.length, ducked: Boolean(duck) });
    return { audio };
  },
});
