import { seededRandom } from '../prng.js';
import { arrange, BARS_PER_PHRASE, type Arrangement, type Bar } from './arrangement.js';
import { writeMelody } from './melody.js';
import { MOOD_SPECS, type Mood, type PresetName } from './moods.js';
import { writeBass, writeDrums, writeHarmony, type BarContext } from './parts.js';
import type { NoteEvent } from './score.js';
import { diatonicChord, isMajorScale, KEY_NAMES, SCALES, voiceNear, type Chord, type KeyName } from './theory.js';

export interface ComposeOptions {
  mood: Mood;
  seconds: number;
  /** BPM, or undefined: the mood's tempo range, placed by `pace`. */
  bpm?: number;
  /** 0..1, how busy the picture is (undefined: the middle of the mood's range). */
  pace?: number;
  /** Tonic, or undefined: the seed picks one of the mood's keys. */
  key?: KeyName;
  /** Instrumentation, or undefined: the mood's own. */
  preset?: PresetName;
  seed: number;
}

export interface Composition {
  mood: Mood;
  key: KeyName;
  major: boolean;
  preset: PresetName;
  arrangement: Arrangement;
  chords: Chord[];
  events: NoteEvent[];
}

/** Layers come in as the energy rises (the pad is always there; drums only where the mood has them). */
const ENTRY = { bass: 0.3, harmony: 0.35, melody: 0.45, drums: 0.5 } as const;

/**
 * Writes a piece for the clip: tempo and key, a chord per bar from the mood's progressions (the first and
 * other phrases alternating two of them, the last phrase's cadence forced onto the tonic), then bass,
 * harmony, melody and drums bar by bar as the arrangement's energy lets them in. Each part draws from its
 * own seeded stream, so the seed alone decides the piece.
 */
export function compose(o: ComposeOptions): Composition {
  const spec = MOOD_SPECS[o.mood];
  const stream = (k: number) => seededRandom(o.seed * 16 + k);
  const pick = stream(0);
  const [lo, hi] = spec.tempo;
  const bpm = o.bpm ?? lo + (hi - lo) * Math.min(1, Math.max(0, o.pace ?? 0.5));
  const key = o.key ?? spec.keys[Math.floor(pick() * spec.keys.length)];
  const preset = o.preset ?? spec.preset;
  const arrangement = arrange(bpm, o.seconds);
  const scale = SCALES[spec.scale];
  const keyIndex = KEY_NAMES.indexOf(key);
  // Tonic around C3..B3 for the harmony; the melody sits an octave higher.
  const tonic = 48 + keyIndex - (keyIndex > 6 ? 12 : 0) + 12;

  // Two progressions alternate by phrase (A A B A ...).
  const progA = spec.progressions[Math.floor(pick() * spec.progressions.length)];
  const progB = spec.progressions[Math.floor(pick() * spec.progressions.length)];
  const bars = arrangement.bars;
  const lastPhrase = bars.at(-1)!.phrase;
  const degrees = bars.map((bar) => {
    if (bar.pickup) return 0;
    if (bar.final) return 0;
    const prog = bar.phrase % 4 === 2 ? progB : progA;
    let d = prog[bar.inPhrase % BARS_PER_PHRASE];
    // The cadence before the final tonic: the dominant in major, the subdominant (a plagal close) in minor.
    if (bar.phrase === lastPhrase && bar.inPhrase === BARS_PER_PHRASE - 2) d = isMajorScale(spec.scale) ? 4 : 3;
    return d;
  });
  const chords = degrees.map((d) => diatonicChord(scale, tonic, d, spec.sevenths));
  // Every chord voiced around one centre: consecutive chords then move by the smallest steps (voice leading).
  const voicings = chords.map((c) => voiceNear(c.notes, tonic + 7));

  const events: NoteEvent[] = [];
  const rands = { bass: stream(1), harmony: stream(2), drums: stream(3), melody: stream(4), pad: stream(5) };
  const ctx = (bar: Bar, rand: () => number): BarContext => ({
    bar,
    chord: chords[bar.index],
    voicing: voicings[bar.index],
    beat: arrangement.beatSeconds,
    swing: spec.swing,
    rand,
    out: events,
  });
  const plays = (bar: Bar, entry: number) => bar.final || (!bar.pickup && bar.energy >= entry);
  for (const bar of bars) {
    writePad(ctx(bar, rands.pad), arrangement.beatSeconds);
    if (plays(bar, ENTRY.bass)) writeBass(ctx(bar, rands.bass), spec.bass);
    if (plays(bar, ENTRY.harmony)) writeHarmony(ctx(bar, rands.harmony), spec.arp);
    if (plays(bar, ENTRY.drums)) writeDrums(ctx(bar, rands.drums), spec.drums);
  }
  writeMelody(
    {
      scale,
      tonic: tonic + 12,
      beat: arrangement.beatSeconds,
      density: spec.melodyDensity,
      rests: spec.rests,
      swing: spec.swing,
      rand: rands.melody,
    },
    bars,
    chords,
    (bar) => plays(bar, ENTRY.melody),
    events,
  );
  events.sort((a, b) => a.time - b.time || a.midi - b.midi);
  return { mood: o.mood, key, major: isMajorScale(spec.scale), preset, arrangement, chords, events };
}

/** The pad holds each bar's chord (voiced close around the tonic's fifth), swelling in over the pickup. */
function writePad(c: BarContext, beat: number): void {
  const { bar } = c;
  const len = bar.beats * beat;
  const level = bar.pickup ? 0.35 : 0.45 + 0.25 * bar.energy;
  c.voicing.forEach((m, i) =>
    c.out.push({
      part: 'pad',
      time: bar.start,
      duration: len,
      midi: m,
      velocity: level,
      pan: (i % 2 ? 0.35 : -0.35) * (0.6 + 0.4 * c.rand()),
    }),
  );
  // The root an octave under the tonic gives the pad its floor.
  c.out.push({ part: 'pad', time: bar.start, duration: len, midi: c.chord.root, velocity: level * 0.6, pan: 0 });
}
