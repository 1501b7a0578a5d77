import { limiterGain, limitTruePeak } from './limiter.js';
import { dbToGain, measureLoudness } from './loudness.js';
import { truePeakDb, truePeakEnvelope } from './true-peak.js';

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
  const out = Float32Array.from(input);
  if (!Number.isFinite(before)) {
    const inputPeakDb = truePeakDb(input, o.channels);
    return {
      samples: out,
      report: { inputLufs: before, inputPeakDb, outputLufs: before, outputPeakDb: inputPeakDb, gainDb: 0, limitedDb: 0, silent: true },
    };
  }
  const ceiling = dbToGain(o.truePeakDb);
  // The loop works on the input's true-peak envelope: a gain scales it exactly, and the limiter's slow gain
  // curve scales the peaks under it almost exactly, so each round costs a gain curve and a loudness
  // measurement, not another 4x oversampling. The result's own peaks are checked at the end.
  const env = truePeakEnvelope(input, o.channels);
  const inputPeakDb = 20 * Math.log10(maxOf(env));
  const render = (gain: number) => {
    const curve = limiterGain(env, gain, { ceiling, sampleRate: o.sampleRate });
    for (let i = 0, f = 0; i < out.length; i += o.channels, f++) {
      const g = gain * (curve ? curve[f] : 1);
      for (let c = 0; c < o.channels; c++) out[i + c] = input[i + c] * g;
    }
    let deepest = 1;
    if (curve) for (let f = 0; f < curve.length; f++) if (curve[f] < deepest) deepest = curve[f];
    return deepest;
  };
  let gainDb = o.targetLufs - before;
  let deepest = render(dbToGain(gainDb));
  let loudness = measureLoudness(out, o.channels, o.sampleRate).integrated;
  for (let round = 0; round < ROUNDS && Math.abs(o.targetLufs - loudness) > TOLERANCE; round++) {
    gainDb += o.targetLufs - loudness;
    deepest = render(dbToGain(gainDb));
    loudness = measureLoudness(out, o.channels, o.sampleRate).integrated;
  }
  // The ceiling is a promise: whatever slipped past the envelope's approximation is limited on the result itself.
  const finalEnv = truePeakEnvelope(out, o.channels);
  let outputPeakDb = 20 * Math.log10(maxOf(finalEnv));
  let extra = 1;
  if (outputPeakDb > o.truePeakDb) {
    extra = limitTruePeak(out, o.channels, { ceiling, sampleRate: o.sampleRate });
    loudness = measureLoudness(out, o.channels, o.sampleRate).integrated;
    outputPeakDb = truePeakDb(out, o.channels);
  }
  return {
    samples: out,
    report: {
      inputLufs: before,
      inputPeakDb,
      outputLufs: loudness,
      outputPeakDb,
      gainDb,
      limitedDb: -20 * Math.log10(deepest * extra),
      silent: false,
    },
  };
}

function maxOf(v: Float32Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) if (v[i] > m) m = v[i];
  return m;
}
