/** Pitch names, scales and diatonic chords: the vocabulary the composer writes in. */

export const KEY_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
export type KeyName = (typeof KEY_NAMES)[number];

/** Scales as semitone steps from the tonic. */
export const SCALES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  harmonicMinor: [0, 2, 3, 5, 7, 8, 11],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
} as const;
export type ScaleName = keyof typeof SCALES;

/** Whether a scale has a major or a minor third over its tonic. */
export function isMajorScale(scale: ScaleName): boolean {
  return SCALES[scale][2] === 4;
}

/** MIDI note -> frequency in Hz (A4 = 69 = 440 Hz). */
export const midiToHz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/**
 * The MIDI note of scale degree `degree` (0-based, may pass the octave either way) in a key whose tonic is
 * `tonic` (a MIDI note).
 */
export function degreeToMidi(scale: readonly number[], tonic: number, degree: number): number {
  const n = scale.length;
  const octave = Math.floor(degree / n);
  const step = ((degree % n) + n) % n;
  return tonic + 12 * octave + scale[step];
}

/** A diatonic chord: its root's scale degree and its notes (MIDI, close position from the root). */
export interface Chord {
  degree: number;
  notes: number[];
  /** The bass note (the root, an octave or two down). */
  root: number;
}

/**
 * The chord on a scale degree, stacked in thirds within the scale (a triad, or a seventh chord when
 * `sevenths`). Degrees written as strings may carry an altered root the scale lacks: 'b7' (the flat
 * seventh's major triad in a major key, a borrowed colour), otherwise plain numbers 1..7.
 */
export function diatonicChord(scale: readonly number[], tonic: number, degree: number, sevenths: boolean): Chord {
  const count = sevenths ? 4 : 3;
  const notes: number[] = [];
  for (let k = 0; k < count; k++) notes.push(degreeToMidi(scale, tonic, degree + 2 * k));
  return { degree, notes, root: degreeToMidi(scale, tonic, degree) - 12 };
}

/**
 * Voice leading: the inversion of `notes` (octave shifts of single notes) whose centre lies closest to
 * `center`, so that consecutive chords move by small steps instead of jumping in parallel.
 */
export function voiceNear(notes: number[], center: number): number[] {
  let best = notes;
  let bestCost = Infinity;
  const n = notes.length;
  for (let inversion = 0; inversion < n; inversion++) {
    for (const shift of [-24, -12, 0, 12]) {
      const v = notes.map((m, i) => (i < inversion ? m + 12 : m) + shift).sort((a, b) => a - b);
      const mid = (v[0] + v[v.length - 1]) / 2;
      const cost = Math.abs(mid - center);
      if (cost < bestCost) {
        bestCost = cost;
        best = v;
      }
    }
  }
  return best;
}
