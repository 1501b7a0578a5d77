import { seededRandom } from './prng.js';

export const MOODS = ['calm', 'warm', 'dreamy', 'dark', 'bright'] as const;
export type Mood = (typeof MOODS)[number];

interface MoodSpec {
  /** MIDI note of the key's root, low register. */
  root: number;
  /** Chords as semitone offsets from the root; the seed picks a progression from them. */
  chords: number[][];
  /** Low-pass cutoff of the pad in Hz: darker moods are duller. */
  cutoff: number;
  /** Level of the filtered noise bed (wind, surf) against the pad. */
  noise: number;
  /** Seconds per chord. */
  chordSeconds: [number, number];
  /** Detune of the three oscillators per tone, in cents: more is wider and dreamier. */
  detune: number;
}

const MOOD_SPECS: Record<Mood, MoodSpec> = {
  calm: { root: 48, chords: [[0, 7, 16], [5, 12, 21], [-3, 7, 12], [7, 14, 19], [2, 9, 17]], cutoff: 1400, noise: 0.18, chordSeconds: [5, 8], detune: 6 },
  warm: { root: 41, chords: [[0, 7, 16, 23], [5, 12, 16, 21], [-5, 7, 14, 19], [2, 9, 17, 24]], cutoff: 1100, noise: 0.12, chordSeconds: [4, 7], detune: 8 },
  dreamy: { root: 50, chords: [[0, 7, 14, 18], [4, 11, 16, 23], [-3, 4, 11, 14], [5, 12, 19, 21]], cutoff: 2200, noise: 0.1, chordSeconds: [6, 9], detune: 14 },
  dark: { root: 45, chords: [[0, 7, 12, 15], [-4, 3, 8, 12], [-2, 5, 10, 14], [-5, 2, 7, 10]], cutoff: 650, noise: 0.3, chordSeconds: [6, 10], detune: 5 },
  bright: { root: 55, chords: [[0, 7, 16, 19], [5, 12, 17, 21], [7, 14, 19, 23], [-3, 9, 12, 16]], cutoff: 3200, noise: 0.08, chordSeconds: [3, 5], detune: 7 },
};

const TABLE_SIZE = 4096;
const SINE = Float32Array.from({ length: TABLE_SIZE + 1 }, (_, i) => Math.sin((2 * Math.PI * i) / TABLE_SIZE));

export interface AmbientOptions {
  mood: Mood;
  seed: number;
  seconds: number;
  sampleRate: number;
  /** Peak level, 0..1. */
  volume: number;
  fadeIn: number;
  fadeOut: number;
  /** Called between chunks of work with the share done (0..1); may throw to stop. */
  onProgress?: (fraction: number) => void | Promise<void>;
}

/**
 * A generated ambient soundtrack, stereo interleaved: a slowly changing chord pad (detuned soft
 * oscillators through a low-pass, crossfading between chords) over a filtered noise bed that swells
 * like wind or surf, faded in and out. Every random choice comes from the seed: same seed, same samples.
 */
export async function synthesizeAmbient(o: AmbientOptions): Promise<Float32Array> {
  // Long soundtracks take seconds: hand the event loop back now and then (a server keeps answering) and
  // let the caller report progress or stop.
  const pause = async (fraction: number) => {
    await o.onProgress?.(Math.min(1, fraction));
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const spec = MOOD_SPECS[o.mood];
  const rand = seededRandom(o.seed);
  const sr = o.sampleRate;
  const n = Math.max(1, Math.round(o.seconds * sr));
  const out = new Float32Array(n * 2);

  // The progression: chords picked by the seed, each held for a seeded length.
  const segments: Array<{ start: number; end: number; notes: number[] }> = [];
  for (let t = 0, prev = -1; t < o.seconds; ) {
    let pick = Math.floor(rand() * spec.chords.length);
    if (pick === prev) pick = (pick + 1) % spec.chords.length;
    prev = pick;
    const length = spec.chordSeconds[0] + rand() * (spec.chordSeconds[1] - spec.chordSeconds[0]);
    segments.push({ start: t, end: t + length, notes: spec.chords[pick] });
    t += length;
  }
  const crossfade = 1.5;

  // Each chord tone is three detuned oscillators per channel with seeded phases and a slow tremolo.
  for (const seg of segments) {
    const from = Math.max(0, Math.floor((seg.start - crossfade / 2) * sr));
    const to = Math.min(n, Math.ceil((seg.end + crossfade / 2) * sr));
    if (to <= from) continue;
    // The chord's fade in/out, computed once and shared by all its oscillators.
    const env = new Float32Array(to - from);
    for (let i = from; i < to; i++) env[i - from] = segmentEnvelope(i / sr, seg.start, seg.end, crossfade);
    for (const offset of seg.notes) {
      const freq = 440 * 2 ** ((spec.root + offset - 69) / 12);
      const level = 0.5 / seg.notes.length / Math.sqrt(1 + Math.max(0, offset) / 12);
      for (let ch = 0; ch < 2; ch++) {
        for (let k = 0; k < 3; k++) {
          const cents = (k - 1) * spec.detune + (ch ? 1 : -1) * spec.detune * 0.3;
          const step = ((freq * 2 ** (cents / 1200)) / sr) * TABLE_SIZE;
          let phase = rand() * TABLE_SIZE;
          // A slow tremolo, read from the same table.
          const tremStep = ((0.05 + rand() * 0.15) / sr) * TABLE_SIZE;
          let tremPhase = rand() * TABLE_SIZE;
          for (let i = from; i < to; i++) {
            const idx = phase | 0;
            const s = SINE[idx] + (SINE[idx + 1] - SINE[idx]) * (phase - idx);
            // A touch of second harmonic softens the pure sine into a warmer pad tone.
            const trem = 0.8 + 0.2 * SINE[tremPhase | 0];
            out[i * 2 + ch] += (s + 0.18 * SINE[(idx * 2) % TABLE_SIZE]) * level * env[i - from] * trem;
            phase += step;
            if (phase >= TABLE_SIZE) phase -= TABLE_SIZE;
            tremPhase += tremStep;
            if (tremPhase >= TABLE_SIZE) tremPhase -= TABLE_SIZE;
          }
        }
      }
      await pause((0.8 * seg.start) / Math.max(o.seconds, 1e-9));
    }
  }

  // Low-pass the pad (one pole per channel), then add the swelling noise bed.
  const a = 1 - Math.exp((-2 * Math.PI * spec.cutoff) / sr);
  const noiseA = 1 - Math.exp((-2 * Math.PI * 500) / sr);
  const swellStep = ((0.06 + rand() * 0.06) / sr) * TABLE_SIZE;
  const swellStart = rand() * TABLE_SIZE;
  for (let ch = 0; ch < 2; ch++) {
    let lp = 0;
    let noiseLp = 0;
    let noiseLp2 = 0;
    let swellPhase = (swellStart + ch * 0.11 * TABLE_SIZE) % TABLE_SIZE;
    for (let i = 0; i < n; i++) {
      lp += a * (out[i * 2 + ch] - lp);
      noiseLp += noiseA * (rand() * 2 - 1 - noiseLp);
      noiseLp2 += noiseA * (noiseLp - noiseLp2);
      const swell = 0.55 + 0.45 * SINE[swellPhase | 0];
      swellPhase += swellStep;
      if (swellPhase >= TABLE_SIZE) swellPhase -= TABLE_SIZE;
      out[i * 2 + ch] = lp + noiseLp2 * spec.noise * 4 * swell;
      if ((i & 0x3ffff) === 0x3ffff) await pause(0.8 + (0.2 * (ch * n + i)) / (2 * n));
    }
  }

  // Soft-clip, normalize to the requested peak, fade in and out.
  let peak = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.tanh(out[i] * 1.5);
    peak = Math.max(peak, Math.abs(out[i]));
  }
  const gain = peak > 0 ? o.volume / peak : 0;
  const fadeIn = Math.min(o.fadeIn, o.seconds / 2) * sr;
  const fadeOut = Math.min(o.fadeOut, o.seconds / 2) * sr;
  for (let i = 0; i < n; i++) {
    let g = gain;
    if (i < fadeIn) g *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fadeIn);
    if (n - 1 - i < fadeOut) g *= 0.5 - 0.5 * Math.cos((Math.PI * (n - 1 - i)) / fadeOut);
    out[i * 2] *= g;
    out[i * 2 + 1] *= g;
  }
  return out;
}

/** Raised-cosine fades at the chord's edges, so chords crossfade without clicks. */
function segmentEnvelope(t: number, start: number, end: number, fade: number): number {
  if (t < start - fade / 2 || t > end + fade / 2) return 0;
  if (t < start + fade / 2) return start <= 0 ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * (t - start + fade / 2)) / fade);
  if (t > end - fade / 2) return 0.5 + 0.5 * Math.cos((Math.PI * (t - end + fade / 2)) / fade);
  return 1;
}
