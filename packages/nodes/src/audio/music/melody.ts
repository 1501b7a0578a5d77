import type { Bar } from './arrangement.js';
import type { NoteEvent } from './score.js';
import { degreeToMidi, type Chord } from './theory.js';

export interface MelodyContext {
  scale: readonly number[];
  /** MIDI note of the tonic the melody centres on (around C5). */
  tonic: number;
  beat: number;
  density: number;
  rests: number;
  swing: number;
  rand: () => number;
}

/** A rhythm: onsets and lengths in sixteenths within a 4-beat bar. */
type Rhythm = Array<{ at: number; len: number }>;

/**
 * A seeded rhythm for one bar: note lengths drawn to match the mood's density (notes per beat), starting on
 * the downbeat, some replaced by rests.
 */
function makeRhythm(m: MelodyContext, steps: number): Rhythm {
  const lengths = m.density > 1.2 ? [2, 2, 2, 4, 1, 3] : m.density > 0.8 ? [2, 4, 4, 2, 6] : [4, 4, 8, 6, 2];
  const out: Rhythm = [];
  for (let s = 0; s < steps;) {
    let len = lengths[Math.floor(m.rand() * lengths.length)];
    len = Math.min(len, steps - s);
    if (s === 0 || m.rand() > m.rests) out.push({ at: s, len });
    s += len;
  }
  return out;
}

/** Scale degree (relative to the melody's tonic) nearest to a MIDI note, among the degrees in `allowed` (mod 7), if given. */
function nearestDegree(m: MelodyContext, midi: number, allowed?: number[]): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let d = -10; d <= 14; d++) {
    const n = m.scale.length;
    if (allowed && !allowed.includes(((d % n) + n) % n)) continue;
    const dist = Math.abs(degreeToMidi(m.scale, m.tonic, d) - midi);
    if (dist < bestDistance) {
      bestDistance = dist;
      best = d;
    }
  }
  return best;
}

/**
 * The melody over the bars: one rhythm motif per phrase (bars 1 and 3 repeat it, bar 2 varies it, bar 4
 * holds a long note: call and answer), pitches moving mostly by step within the scale, chord tones on the
 * strong beats, kept within about an octave and a half, the last phrase coming to rest on the tonic.
 */
export function writeMelody(m: MelodyContext, bars: Bar[], chords: Chord[], play: (bar: Bar) => boolean, out: NoteEvent[]): void {
  let degree = 2; // start on the third above the tonic
  let motif: Rhythm = [];
  let motifPhrase = -2;
  const n = m.scale.length;
  for (const bar of bars) {
    if (bar.pickup || !play(bar)) continue;
    const chord = chords[bar.index];
    const chordDegrees = [0, 2, 4].map((k) => (((chord.degree + k) % n) + n) % n);
    const steps = bar.beats * 4;
    if (bar.phrase !== motifPhrase) {
      motif = makeRhythm(m, steps);
      motifPhrase = bar.phrase;
    }
    let rhythm: Rhythm;
    if (bar.final) rhythm = [{ at: 0, len: steps }];
    else if (bar.inPhrase === 3) rhythm = [...motif.filter((r) => r.at + r.len <= 8), { at: 8, len: 8 }];
    else if (bar.inPhrase === 1) rhythm = makeRhythm(m, steps);
    else rhythm = motif;
    const lastPhrase = bars.at(-1)?.phrase === bar.phrase;
    rhythm.forEach((r, i) => {
      const strong = r.at % 8 === 0;
      const isLast = i === rhythm.length - 1;
      if (bar.final || (lastPhrase && bar.inPhrase === 3 && isLast)) {
        // The resolution: the tonic (or its third above in the bar before last), nearest to where the line is.
        const target = bar.final ? [0] : chordDegrees;
        degree = nearestDegree(m, degreeToMidi(m.scale, m.tonic, degree), target);
      } else if (strong) {
        degree = nearestDegree(m, degreeToMidi(m.scale, m.tonic, degree + Math.round((m.rand() - 0.5) * 3)), chordDegrees);
      } else {
        const step = m.rand() < 0.7 ? (m.rand() < 0.5 ? -1 : 1) : m.rand() < 0.5 ? -2 : 2;
        degree += step;
      }
      // Keep the line in range: pull back towards the centre near the edges.
      if (degree > 9) degree -= 2;
      if (degree < -3) degree += 2;
      const eighthOff = r.at % 4 === 2;
      const t = bar.start + (r.at / 4) * m.beat + (eighthOff ? m.swing * (m.beat / 2) : 0);
      out.push({
        part: 'melody',
        time: t,
        duration: (r.len / 4) * m.beat * 0.95,
        midi: degreeToMidi(m.scale, m.tonic, degree),
        velocity: Math.min(1, (strong ? 0.75 : 0.6) * (0.8 + 0.3 * bar.energy) * (0.9 + 0.2 * m.rand())),
        pan: 0.1,
      });
    });
  }
}
