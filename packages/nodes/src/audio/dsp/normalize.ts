import { limitTruePeak } from './limiter.js';
import { dbToGain, measureLoudness } from './loudness.js';
import { truePeakDb } from './true-peak.js';

export interface NormalizeOptions {
  /** Integrated loudness to land on, LUFS (-14: what streaming services play at). */
  targetLufs: number;
  /** Highest true peak allowed, dBTP. */
  truePeakDb: number;
  sampleRate: number;
  channels: number;
}

export interface NormalizeReport {
  /** Loudness and true peak of the input. */
  inputLufs: number;
  inputPeakDb: number;
  /** Loudness and true peak of the result (as measured here). */
  outputLufs: number;
  outputPeakDb: number;
  /** Gain applied before limiting, dB. */
  gainDb: number;
  /** Deepest limiter gain reduction, dB (0: the peaks fitted as they were). */
  limitedDb: number;
  /** True when the input was silent: nothing to normalise. */
  silent: boolean;
}

/** How close to the target the loop stops, LU. */
const TOLERANCE = 0.05;
const ROUNDS = 4;

/**
 * Brings interleaved samples to the target integrated loudness with the true peak at or under the ceiling,
 * in a new buffer: a gain to the target; where the peaks then pass the ceiling, a look-ahead limiter takes
 * them down, which lowers the loudness a little, so the gain is corrected and the peaks checked again.
 * Whatever the input level (a volume of 0.1 or 1, a mix that sums past full scale), the output lands
 * on the same loudness.
 */
export function normalizeLoudness(input: Float32Array, o: NormalizeOptions): { samples: Float32Array; report: NormalizeReport } {
  const before = measureLoudness(input, o.channels, o.sampleRate).integrated;
  const inputPeakDb = truePeakDb(input, o.channels);
  const out = Float32Array.from(input);
  if (!Number.isFinite(before)) {
    return { samples: out, report: { inputLufs: before, inputPeakDb, outputLufs: before, outputPeakDb: inputPeakDb, gainDb: 0, limitedDb: 0, silent: true } };
  }
  const ceiling = dbToGain(o.truePeakDb);
  let gainDb = o.targetLufs - before;
  scale(out, dbToGain(gainDb));
  let deepest = 1;
  let loudness = o.targetLufs;
  for (let round = 0; round < ROUNDS; round++) {
    deepest = Math.min(deepest, limitTruePeak(out, o.channels, { ceiling, sampleRate: o.sampleRate }));
    loudness = measureLoudness(out, o.channels, o.sampleRate).integrated;
    const miss = o.targetLufs - loudness;
    if (Math.abs(miss) <= TOLERANCE) break;
    scale(out, dbToGain(miss));
    gainDb += miss;
  }
  // The last correction may have lifted a peak again: the limiter has the last word (the ceiling is a promise).
  deepest = Math.min(deepest, limitTruePeak(out, o.channels, { ceiling, sampleRate: o.sampleRate }));
  loudness = measureLoudness(out, o.channels, o.sampleRate).integrated;
  return {
    samples: out,
    report: {
      inputLufs: before,
      inputPeakDb,
      outputLufs: loudness,
      outputPeakDb: truePeakDb(out, o.channels),
      gainDb,
      limitedDb: -20 * Math.log10(deepest),
      silent: false,
    },
  };
}

function scale(s: Float32Array, g: number): void {
  for (let i = 0; i < s.length; i++) s[i] *= g;
}
