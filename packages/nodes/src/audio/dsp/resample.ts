/**
 * Band-limited resampling of interleaved float PCM (a Blackman-windowed sinc, 16 zero crossings each
 * side, cut off under the lower Nyquist frequency). Used to bring speech (16 kHz) and loaded sounds to the
 * mix's rate; deterministic, no ffmpeg round trip.
 */
export function resample(samples: Float32Array, channels: number, from: number, to: number): Float32Array {
  if (from === to) return Float32Array.from(samples);
  const framesIn = Math.floor(samples.length / channels);
  const framesOut = Math.round((framesIn * to) / from);
  const out = new Float32Array(framesOut * channels);
  const ratio = from / to;
  const cutoff = Math.min(1, to / from) * 0.97;
  const zeros = 16;
  const half = Math.ceil(zeros / cutoff);
  // A tabulated kernel (1024 points per unit) spares a sin and a cos per tap.
  const RES = 1024;
  const table = new Float32Array(half * RES + 2);
  for (let i = 0; i < table.length; i++) {
    const x = i / RES;
    const s = x === 0 ? 1 : Math.sin(Math.PI * x * cutoff) / (Math.PI * x * cutoff);
    const w = x >= half ? 0 : 0.42 + 0.5 * Math.cos((Math.PI * x) / half) + 0.08 * Math.cos((2 * Math.PI * x) / half);
    table[i] = s * w * cutoff;
  }
  for (let j = 0; j < framesOut; j++) {
    const center = j * ratio;
    const first = Math.max(0, Math.ceil(center - half));
    const last = Math.min(framesIn - 1, Math.floor(center + half));
    for (let ch = 0; ch < channels; ch++) {
      let acc = 0;
      for (let i = first; i <= last; i++) {
        const pos = Math.abs(center - i) * RES;
        const k = pos | 0;
        const w = table[k] + (table[k + 1] - table[k]) * (pos - k);
        acc += samples[i * channels + ch] * w;
      }
      out[j * channels + ch] = acc;
    }
  }
  return out;
}

/** Interleaved samples with another channel count: mono is copied to both sides, stereo averaged to mono. */
export function remix(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const frames = Math.floor(samples.length / from);
  const out = new Float32Array(frames * to);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < from; c++) sum += samples[i * from + c];
    for (let c = 0; c < to; c++)
      out[i * to + c] = from === 1 ? samples[i] : to === 1 ? sum / from : samples[i * from + Math.min(c, from - 1)];
  }
  return out;
}
