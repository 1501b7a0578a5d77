import { adsr, onePole, polyBlep, sine01 } from './dsp.js';
import { midiToHz } from './theory.js';

/** The pitched voices the project synthesises itself. */
export const VOICES = [
  'warmPad',
  'synthPad',
  'strings',
  'airPad',
  'piano',
  'keys',
  'pluck',
  'marimba',
  'bell',
  'lead',
  'softBass',
  'synthBass',
  'subBass',
] as const;
export type VoiceName = (typeof VOICES)[number];

export interface VoiceNote {
  midi: number;
  velocity: number;
  /** Seconds held. */
  duration: number;
  sampleRate: number;
  /** Low-pass colour for pads and leads, Hz. */
  brightness: number;
  rand: () => number;
}

/** One note as a mono buffer: the held part and the voice's own release or ring after it. */
export function renderVoice(name: VoiceName, n: VoiceNote): Float32Array {
  switch (name) {
    case 'warmPad':
      return pad(n, { saws: 2, detune: 6, cutoff: 0.5, a: 0.6, d: 0.5, s: 0.8, r: 1.2, vibrato: 0 });
    case 'synthPad':
      return pad(n, { saws: 3, detune: 12, cutoff: 1, a: 0.3, d: 0.6, s: 0.7, r: 0.8, vibrato: 0 });
    case 'strings':
      return pad(n, { saws: 3, detune: 7, cutoff: 0.8, a: Math.min(0.45, n.duration * 0.35), d: 0.4, s: 0.85, r: 0.7, vibrato: 8 });
    case 'lead':
      return pad(n, { saws: 1, detune: 0, cutoff: 1.2, a: 0.03, d: 0.2, s: 0.75, r: 0.15, vibrato: 12 });
    case 'airPad':
      return airPad(n);
    case 'piano':
      return piano(n);
    case 'keys':
      return fm(n, { ratio: 1, index: 1.6, indexDecay: 0.4, decay: 1.8, release: 0.15, partial: 0 });
    case 'bell':
      return fm(n, { ratio: 3.5, index: 2.2, indexDecay: 1.2, decay: 2.6, release: 0.6, partial: 0 });
    case 'marimba':
      return fm(n, {
        ratio: 4,
        index: 0.9,
        indexDecay: 0.05,
        decay: 0.35 * Math.min(2.5, (440 / midiToHz(n.midi)) ** 0.5),
        release: 0.05,
        partial: 0.25,
      });
    case 'pluck':
      return pluck(n);
    case 'softBass':
      return bass(n, { harmonics: [1, 0.25, 0.1], a: 0.005, d: 0.3, s: 0.6, r: 0.12, filter: false });
    case 'synthBass':
      return bass(n, { harmonics: [1, 0.15], a: 0.005, d: 0.2, s: 0.7, r: 0.08, filter: true });
    case 'subBass':
      return bass(n, { harmonics: [1, 0.15], a: 0.01, d: 0.2, s: 0.85, r: 0.15, filter: false });
  }
}

const frames = (n: VoiceNote, tail: number) => Math.max(1, Math.round((n.duration + tail) * n.sampleRate));

/** Detuned band-limited saws through a two-pole low-pass, with optional delayed vibrato (cents). */
function pad(
  n: VoiceNote,
  o: { saws: number; detune: number; cutoff: number; a: number; d: number; s: number; r: number; vibrato: number },
): Float32Array {
  const sr = n.sampleRate;
  const out = new Float32Array(frames(n, o.r));
  const f = midiToHz(n.midi);
  const phases = Array.from({ length: o.saws }, () => n.rand());
  const steps = Array.from({ length: o.saws }, (_, k) => (f * 2 ** (((k - (o.saws - 1) / 2) * o.detune) / 1200)) / sr);
  const a = onePole(n.brightness * o.cutoff, sr);
  const vibPhase = n.rand();
  let lp1 = 0;
  let lp2 = 0;
  const gain = n.velocity / o.saws;
  let vib = 1;
  for (let i = 0; i < out.length; i++) {
    const t = i / sr;
    // Vibrato moves slowly: its factor is updated every 32 samples.
    if (o.vibrato && (i & 31) === 0) vib = 2 ** ((o.vibrato * Math.min(1, t / 0.6) * sine01(vibPhase + t * 5.2)) / 1200);
    let s = 0;
    for (let k = 0; k < o.saws; k++) {
      const dt = steps[k] * vib;
      let p = phases[k] + dt;
      if (p >= 1) p -= 1;
      phases[k] = p;
      s += 2 * p - 1 - polyBlep(p, dt);
    }
    lp1 += a * (s - lp1);
    lp2 += a * (lp1 - lp2);
    out[i] = lp2 * gain * adsr(t, n.duration, o.a, o.d, o.s, o.r);
  }
  return out;
}

/** A soft, breathing pad: the sine, a quiet octave and twelfth, a slow tremolo. */
function airPad(n: VoiceNote): Float32Array {
  const sr = n.sampleRate;
  const out = new Float32Array(frames(n, 2));
  const step = midiToHz(n.midi) / sr;
  const trem = n.rand();
  for (let i = 0; i < out.length; i++) {
    const t = i / sr;
    const p = i * step;
    const s = sine01(p) + 0.3 * sine01(2 * p + 0.1) + 0.08 * sine01(3 * p + 0.3);
    out[i] = s * 0.7 * n.velocity * (0.85 + 0.15 * sine01(trem + t * 0.3)) * adsr(t, n.duration, 1.2, 1, 0.8, 2);
  }
  return out;
}

/** A felt piano: six slightly stretched partials, each decaying faster than the one under it, and a soft hammer. */
function piano(n: VoiceNote): Float32Array {
  const sr = n.sampleRate;
  const f = midiToHz(n.midi);
  const base = Math.min(4, Math.max(0.5, 1.8 * (261.6 / f) ** 0.45));
  const out = new Float32Array(Math.round(Math.min(n.duration + 0.25, base * 4) * sr));
  const soft = 1.6 - 0.6 * n.velocity; // harder strikes are brighter
  for (let k = 1; k <= 6; k++) {
    const fk = k * f * Math.sqrt(1 + 0.0003 * k * k);
    if (fk > sr * 0.45) break;
    const amp = n.velocity / k ** soft;
    const decay = base / k ** 0.6;
    const step = fk / sr;
    const phase = n.rand();
    const fall = Math.exp(-1 / (decay * sr));
    let e = amp;
    for (let i = 0; i < out.length; i++) {
      out[i] += e * sine01(phase + i * step);
      e *= fall;
    }
  }
  // Attack (2 ms), the damper at the release (120 ms), and a breath of hammer noise.
  const attack = 0.002 * sr;
  const hold = n.duration * sr;
  const release = 0.12 * sr;
  let hammer = 0;
  for (let i = 0; i < out.length; i++) {
    let g = i < attack ? i / attack : 1;
    if (i > hold) g *= Math.max(0, 1 - (i - hold) / release);
    hammer += 0.3 * (n.rand() * 2 - 1 - hammer);
    out[i] = out[i] * g * 0.5 + (i < 0.006 * sr ? hammer * 0.06 * n.velocity * (1 - i / (0.006 * sr)) : 0);
  }
  return out;
}

/** Two-operator FM (electric piano, bell, mallet): a decaying modulation index and amplitude. */
function fm(
  n: VoiceNote,
  o: { ratio: number; index: number; indexDecay: number; decay: number; release: number; partial: number },
): Float32Array {
  const sr = n.sampleRate;
  const f = midiToHz(n.midi);
  const out = new Float32Array(Math.round(Math.min(n.duration + o.release, o.decay * 5) * sr) || 1);
  const cs = f / sr;
  const ms = (f * o.ratio) / sr;
  const hold = n.duration * sr;
  const release = Math.max(1, o.release * sr);
  // Exponential decays as running products (an exp per sample would cost more than the oscillators).
  const indexFall = Math.exp(-1 / (o.indexDecay * sr));
  const ampFall = Math.exp(-1 / (o.decay * sr));
  const partialFall = Math.exp(-1 / (0.02 * sr));
  let index = o.index * (0.5 + 0.5 * n.velocity);
  let amp = 1;
  let partial = o.partial;
  for (let i = 0; i < out.length; i++) {
    const mod = sine01(i * ms) * index;
    let s = sine01(i * cs + mod / (2 * Math.PI));
    if (o.partial) s += partial * sine01(i * cs * 10);
    index *= indexFall;
    partial *= partialFall;
    let g = amp * Math.min(1, i / (0.001 * sr));
    amp *= ampFall;
    if (i > hold) g *= Math.max(0, 1 - (i - hold) / release);
    out[i] = s * g * n.velocity * 0.6;
  }
  return out;
}

/** A plucked string (Karplus-Strong): a noise burst circulating in a tuned delay line that loses its highs each pass. */
function pluck(n: VoiceNote): Float32Array {
  const sr = n.sampleRate;
  const f = midiToHz(n.midi);
  const out = new Float32Array(Math.round(Math.min(n.duration + 0.25, 2.5) * sr));
  const period = sr / f;
  const size = Math.ceil(period) + 2;
  const line = new Float32Array(size);
  // The excitation: noise, low-passed more for soft notes.
  const a = onePole(Math.min(n.brightness * 1.5, 2000 + 6000 * n.velocity), sr);
  let lp = 0;
  for (let i = 0; i < size; i++) {
    lp += a * (n.rand() * 2 - 1 - lp);
    line[i] = lp;
  }
  const t60 = Math.min(2.2, 1.2 * (261.6 / f) ** 0.3);
  const loss = 10 ** ((-3 * (period / sr)) / t60);
  let write = 0;
  const hold = n.duration * sr;
  const release = 0.2 * sr;
  let prev = 0;
  for (let i = 0; i < out.length; i++) {
    // Read one period back (linear interpolation for the fractional part), average with the last: the string's loss.
    const pos = write - period + size;
    const k = Math.floor(pos);
    const frac = pos - k;
    const x = line[k % size] * (1 - frac) + line[(k + 1) % size] * frac;
    const y = loss * 0.5 * (x + prev);
    prev = x;
    line[write] = y;
    write = (write + 1) % size;
    let g = i > hold ? Math.max(0, 1 - (i - hold) / release) : 1;
    if (i < 48) g *= i / 48;
    out[i] = y * g * n.velocity * 1.4;
  }
  return out;
}

/** Bass: a few harmonics (optionally a saw through a closing filter) under an ADSR. */
function bass(n: VoiceNote, o: { harmonics: number[]; a: number; d: number; s: number; r: number; filter: boolean }): Float32Array {
  const sr = n.sampleRate;
  const out = new Float32Array(frames(n, o.r));
  const f = midiToHz(n.midi);
  const step = f / sr;
  let lp = 0;
  let phase = 0;
  let coef = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sr;
    let s = 0;
    for (let h = 0; h < o.harmonics.length; h++) s += o.harmonics[h] * sine01((h + 1) * i * step);
    if (o.filter) {
      phase += step;
      if (phase >= 1) phase -= 1;
      const saw = 2 * phase - 1 - polyBlep(phase, step);
      if ((i & 31) === 0) coef = onePole(250 + 1400 * Math.exp(-t / 0.12), sr);
      lp += coef * (saw - lp);
      s = 0.6 * s + 0.5 * lp;
    }
    out[i] = s * 0.6 * n.velocity * adsr(t, n.duration, o.a, o.d, o.s, o.r);
  }
  return out;
}
