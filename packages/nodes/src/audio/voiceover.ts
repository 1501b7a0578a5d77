import { defineNode, input, output, p, UserError } from '@kinegraph/graph-core';
import { AUDIO, VIDEO } from '../sockets.js';
import { PathsToken } from '../services.js';
import { AudioValue } from '../values/audio.js';
import { emitAudioPreview, previewFilesExist } from './audio-preview.js';
import { resample } from './dsp/resample.js';
import { FLITE_VOICES, fliteSpeak } from './speech/flite.js';

const SAMPLE_RATE = 48_000;
const MAX_CHARS = 4000;
/** How far fitting may speed speech up or slow it down before it stops sounding natural. */
const FIT_RATE = [0.6, 2] as const;

const VOICE_TITLES = {
  slt: 'slt (US female)',
  rms: 'rms (US male)',
  awb: 'awb (Scottish male)',
  kal16: 'kal16 (US male, diphone)',
  kal: 'kal (US male, 8 kHz diphone)',
};

export const Voiceover = defineNode({
  type: 'Voiceover',
  category: 'audio',
  title: 'Voice-over',
  description: `Speaks the text offline with Flite (CMU's speech synthesiser, its voices built in: ${Object.values(VOICE_TITLES).join(', ')}). Rate and pitch are adjustable; "fit to clip" sets the rate so the speech fills the connected video. 48 kHz stereo out (the voice in the centre).`,
  version: 1,
  inputs: { video: input(VIDEO, { optional: true, description: 'The clip to fit the speech to (and to pad it to)' }) },
  outputs: { audio: output(AUDIO) },
  params: {
    text: p.string({ default: '', multiline: true, maxLength: MAX_CHARS, label: 'Text', placeholder: 'What the voice says' }),
    voice: p.choice(FLITE_VOICES, { default: 'slt', label: 'Voice' }),
    rate: p.float({
      default: 1,
      min: 0.5,
      max: 2,
      step: 0.05,
      slider: true,
      label: 'Rate',
      description: "1: the voice's own pace; 2: twice as fast",
    }),
    pitch: p.float({ default: 0, min: -12, max: 12, step: 0.5, label: 'Pitch (semitones)' }),
    fit_to_clip: p.bool({
      default: false,
      label: 'Fit to clip',
      description: 'Set the rate so that the speech, from the start offset, ends just before the clip does',
    }),
    start: p.float({ default: 0.5, min: 0, max: 600, step: 0.1, label: 'Start (s)', description: 'Silence before the first word' }),
  },
  cache: 'pure',
  concurrencySafe: true,
  isResultValid: previewFilesExist,
  checkParams(params) {
    return params.text.trim() ? [] : [['text', 'Write the text to speak']];
  },
  async execute(ctx, inputs, params) {
    const text = params.text.trim();
    if (!text) throw new UserError('Write the text to speak', 'text');
    if (!/[\p{L}\p{N}]/u.test(text)) throw new UserError('The text has no letters or digits to speak', 'text');
    const video = inputs.video;
    if (params.fit_to_clip && !video) throw new UserError('Fit to clip needs a video connected', 'fit_to_clip');
    const clipSeconds = video ? video.frameCount / video.fps : undefined;
    const { tempDir } = ctx.services.get(PathsToken);
    const speak = async (rate: number) => {
      ctx.throwIfAborted();
      const raw = await fliteSpeak({ text, voice: params.voice, rate, pitch: params.pitch, tempDir, signal: ctx.signal });
      return { raw, seconds: raw.samples.length / raw.sampleRate };
    };

    let rate = params.rate;
    let spoken = await speak(rate);
    ctx.progress(1, 3);
    if (params.fit_to_clip && clipSeconds !== undefined) {
      // Flite's durations scale almost linearly with the stretch: two corrections land within a few percent.
      const target = clipSeconds - params.start - 0.25;
      if (target <= 0.5)
        throw new UserError(
          `The clip is ${clipSeconds.toFixed(1)} s; with a start of ${params.start} s there is no room to speak`,
          'start',
        );
      for (let round = 0; round < 2 && Math.abs(spoken.seconds - target) > 0.02 * target; round++) {
        const wanted = Math.min(FIT_RATE[1], Math.max(FIT_RATE[0], (rate * spoken.seconds) / target));
        if (Math.abs(wanted - rate) < 1e-3) break;
        rate = wanted;
        spoken = await speak(rate);
        ctx.progress(2 + round, 4);
      }
      if (spoken.seconds > target + 0.05)
        ctx.warn(
          `The text takes ${spoken.seconds.toFixed(1)} s even at rate ${rate.toFixed(2)}; the clip leaves ${target.toFixed(1)} s: shorten the text`,
          'text',
        );
      else if (spoken.seconds < 0.85 * target)
        ctx.warn(
          `The text takes only ${spoken.seconds.toFixed(1)} s even at the slowest rate (${rate.toFixed(2)}) of the ${target.toFixed(1)} s the clip leaves: add words or a later start`,
          'text',
        );
    }
    const mono = resample(spoken.raw.samples, 1, spoken.raw.sampleRate, SAMPLE_RATE);
    let peak = 0;
    for (let i = 0; i < mono.length; i++) peak = Math.max(peak, Math.abs(mono[i]));
    if (peak < 1e-4) throw new UserError('The voice said nothing: the text has nothing the synthesiser can pronounce', 'text');

    // Place it after the start offset; pad to the clip's length when there is a clip.
    const offset = Math.round(params.start * SAMPLE_RATE);
    const frames = Math.max(offset + mono.length, clipSeconds !== undefined ? Math.round(clipSeconds * SAMPLE_RATE) : 0);
    const samples = new Float32Array(frames * 2);
    for (let i = 0; i < mono.length; i++) {
      samples[(offset + i) * 2] = mono[i];
      samples[(offset + i) * 2 + 1] = mono[i];
    }
    const audio = new AudioValue(SAMPLE_RATE, 2, samples);
    await emitAudioPreview(ctx, audio, 'voiceover', {
      voice: params.voice,
      rate: Math.round(rate * 1000) / 1000,
      speechSeconds: Math.round(spoken.seconds * 1000) / 1000,
    });
    ctx.progress(4, 4);
    return { audio };
  },
});
