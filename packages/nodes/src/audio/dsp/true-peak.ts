/**
 * True peak (BS.1770-4 annex 2): the signal's largest absolute value between samples too, found by 4x
 * oversampling with a windowed-sinc interpolator (12 taps per phase, as libebur128 uses).
 */

const PHASES = 4;
const TAPS = 12;

/** Polyphase coefficients: phase p (1..3) interpolates at offset p/4 between samples. */
const KERNEL: Float64Array[] = (() => {
  const out: Float64Array[] = [];
  for (let p = 0; p < PHASES; p++) {
    const k = new Float64Array(TAPS);
    for (let t = 0; t < TAPS; t++) {
      // Tap t sits at sample offset (t - TAPS/2 + 1) - p/4 from the interpolated point.
      const x = t - TAPS / 2 + 1 - p / PHASES;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      // A Hann window over the kernel's span.
      const w = 0.5 + 0.5 * Math.cos((Math.PI * x) / (TAPS / 2 + 0.5));
      k[t] = sinc * w;
    }
    // Unity gain at DC, so a constant signal reads as itself.
    const sum = k.reduce((a, b) => a + b, 0);
    for (let t = 0; t < TAPS; t++) k[t] /= sum;
    out.push(k);
  }
  return out;
})();

/**
 * Per-frame peak envelope: for each frame, the largest absolute value of the sample itself and the three
 * interpolated points after it, over all channels. The limiter keeps this under its ceiling.
 */
export function truePeakEnvelope(samples: Float32Array, channels: number): Float32Array {
  const frames = Math.floor(samples.length / channels);
  const env = new Float32Array(frames);
  const half = TAPS / 2;
  const [, k1, k2, k3] = KERNEL;
  const x = new Float32Array(frames);
  for (let ch = 0; ch < channels; ch++) {
    // One channel laid out contiguously, and the three phases summed in one pass over the taps (one read each).
    for (let i = 0; i < frames; i++) x[i] = samples[i * channels + ch];
    for (let i = 0; i < frames; i++) {
      let peak = Math.abs(x[i]);
      if (i >= half - 1 && i + half < frames) {
        const base = i - half + 1;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let t = 0; t < TAPS; t++) {
          const v = x[base + t];
          a1 += k1[t] * v;
          a2 += k2[t] * v;
          a3 += k3[t] * v;
        }
        peak = Math.max(peak, Math.abs(a1), Math.abs(a2), Math.abs(a3));
      } else if (i + 1 < frames) {
        // Near the edges the interpolation would read outside: the neighbour stands in for it.
        peak = Math.max(peak, Math.abs(x[i + 1]));
      }
      if (peak > env[i]) env[i] = peak;
    }
  }
  return env;
}

/** The true peak in dBTP (-Infinity for silence). */
export function truePeakDb(samples: Float32Array, channels: number): number {
  const env = truePeakEnvelope(samples, channels);
  let peak = 0;
  for (let i = 0; i < env.length; i++) if (env[i] > peak) peak = env[i];
  return 20 * Math.log10(peak);
}
