import { normalizeLoudness, type NormalizeReport } from '../audio/dsp/normalize.js';
import { AudioValue } from '../values/audio.js';

/**
 * Headroom kept under the true-peak ceiling for the lossy encoders: AAC and Opus rebuild the waveform
 * from quantised spectra, and their decoded peaks overshoot the PCM's by a fraction of a dB on dense music
 * (measured up to about 0.6 dB with AAC at 192 kb/s), so the PCM is limited this much lower.
 */
export const CODEC_PEAK_MARGIN_DB = 1;

/**
 * The sound as it will play under the clip, normalised: cut to the clip's length first (only what is heard
 * is measured), then brought to the loudness target with the true peak under the ceiling less the codec's margin.
 */
export function normalizedForVideo(
  audio: AudioValue,
  clipSeconds: number,
  targetLufs: number,
  truePeakDb: number,
): { audio: AudioValue; report: NormalizeReport } {
  const count = Math.min(audio.samples.length, Math.ceil(clipSeconds * audio.sampleRate) * audio.channels);
  const heard = audio.samples.subarray(0, count - (count % audio.channels));
  const { samples, report } = normalizeLoudness(heard, {
    targetLufs,
    truePeakDb: truePeakDb - CODEC_PEAK_MARGIN_DB,
    sampleRate: audio.sampleRate,
    channels: audio.channels,
  });
  return { audio: new AudioValue(audio.sampleRate, audio.channels, samples), report };
}
