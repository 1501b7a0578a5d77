import { defineNode, input, output, p, UserError } from '@kinegraph/graph-core';
import { AUDIO } from '../sockets.js';
import { AudioValue } from '../values/audio.js';
import { emitAudioPreview, previewFilesExist } from './audio-preview.js';
import { normalizeLoudness } from './dsp/normalize.js';

/** The loudness target and peak ceiling parameters (SaveVideo has them too, as advanced ones). */
export const loudnessTarget = (advanced = false) =>
  p.float({
    default: -14,
    min: -40,
    max: -5,
    step: 0.5,
    label: 'Loudness (LUFS)',
    description: 'EBU R128 integrated loudness to land on (-14: what streaming services play at)',
    advanced,
  });
export const truePeakCeiling = (advanced = false) =>
  p.float({
    default: -1,
    min: -9,
    max: 0,
    step: 0.1,
    label: 'True peak (dBTP)',
    description: 'Highest peak allowed, between samples included',
    advanced,
  });

export const NormalizeLoudness = defineNode({
  type: 'NormalizeLoudness',
  category: 'audio',
  title: 'Normalize Loudness',
  description:
    'Sets the sound to an EBU R128 integrated loudness (K-weighted, gated) with its true peak under a ceiling: a gain to the target, and a look-ahead limiter where the peaks would pass. SaveVideo does the same by default before muxing.',
  version: 1,
  inputs: { audio: input(AUDIO) },
  outputs: { audio: output(AUDIO) },
  params: { target: loudnessTarget(), true_peak: truePeakCeiling() },
  cache: 'pure',
  concurrencySafe: true,
  isResultValid: previewFilesExist,
  async execute(ctx, inputs, params) {
    const input = inputs.audio;
    if (input.samples.length === 0) throw new UserError('The audio is empty', 'audio');
    const { samples, report } = normalizeLoudness(input.samples, {
      targetLufs: params.target,
      truePeakDb: params.true_peak,
      sampleRate: input.sampleRate,
      channels: input.channels,
    });
    if (report.silent) ctx.warn('The sound is silent (under -70 LUFS throughout): left as it is', 'audio');
    const audio = new AudioValue(input.sampleRate, input.channels, samples);
    const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : null);
    await emitAudioPreview(ctx, audio, 'normalized', {
      inputLufs: round(report.inputLufs),
      outputLufs: round(report.outputLufs),
      truePeakDb: round(report.outputPeakDb),
      gainDb: round(report.gainDb),
      limitedDb: round(report.limitedDb),
    });
    return { audio };
  },
});
