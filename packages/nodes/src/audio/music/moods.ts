import type { KeyName, ScaleName } from './theory.js';

export const MOODS = ['calm', 'uplifting', 'cinematic', 'tense', 'playful', 'melancholic', 'dreamy'] as const;
export type Mood = (typeof MOODS)[number];

/** Mood names of the first Soundtrack (version 1), and the mood each now plays. */
export const MOOD_ALIASES: Record<string, Mood> = { warm: 'calm', dark: 'cinematic', bright: 'uplifting' };

export type BassStyle = 'sustained' | 'pulse' | 'walking' | 'ostinato' | 'bounce';
export type DrumStyle = 'none' | 'soft' | 'pop' | 'cinematic' | 'ticking' | 'shuffle';
export type ArpStyle = 'none' | 'broken' | 'eighths' | 'sixteenths' | 'strum' | 'bells';

export interface MoodSpec {
  scale: ScaleName;
  /** Tempo range, BPM: "auto" picks inside it by the clip's pace. */
  tempo: [number, number];
  /** Keys that suit the mood; "auto" lets the seed pick one. */
  keys: KeyName[];
  /** Chord progressions as 0-based scale degrees, one chord per bar; each ends on a cadence to the tonic. */
  progressions: number[][];
  sevenths: boolean;
  bass: BassStyle;
  drums: DrumStyle;
  arp: ArpStyle;
  /** Melody notes per beat on average (rhythmic density), and the share of rests. */
  melodyDensity: number;
  rests: number;
  /** Eighth-note swing, 0 (straight) .. 0.33 (triplet feel). */
  swing: number;
  /** Reverb send, 0..1, and the room size, 0..1. */
  reverb: number;
  room: number;
  /** Pad low-pass cutoff, Hz: darker moods are duller. */
  brightness: number;
  /** The instrumentation preset "auto" means for this mood. */
  preset: PresetName;
}

export const PRESETS = ['piano', 'strings', 'plucks', 'electronic', 'ambient', 'mallets'] as const;
export type PresetName = (typeof PRESETS)[number];

// Degrees: 0 = I/i, 1 = ii, 2 = iii/III, 3 = IV/iv, 4 = V/v, 5 = vi/VI, 6 = vii/VII.
export const MOOD_SPECS: Record<Mood, MoodSpec> = {
  calm: {
    scale: 'major',
    tempo: [68, 84],
    keys: ['C', 'F', 'G', 'D', 'Eb'],
    progressions: [
      [0, 4, 5, 3],
      [0, 3, 5, 4],
      [0, 5, 3, 4],
      [3, 0, 4, 0],
    ],
    sevenths: true,
    bass: 'sustained',
    drums: 'soft',
    arp: 'broken',
    melodyDensity: 0.7,
    rests: 0.25,
    swing: 0,
    reverb: 0.35,
    room: 0.7,
    brightness: 2200,
    preset: 'piano',
  },
  uplifting: {
    scale: 'major',
    tempo: [104, 124],
    keys: ['D', 'E', 'G', 'A', 'C'],
    progressions: [
      [0, 4, 5, 3],
      [5, 3, 0, 4],
      [3, 4, 2, 5],
      [0, 3, 4, 4],
    ],
    sevenths: false,
    bass: 'pulse',
    drums: 'pop',
    arp: 'eighths',
    melodyDensity: 1.4,
    rests: 0.15,
    swing: 0,
    reverb: 0.25,
    room: 0.6,
    brightness: 4200,
    preset: 'plucks',
  },
  cinematic: {
    scale: 'minor',
    tempo: [62, 78],
    keys: ['D', 'C', 'E', 'A', 'F'],
    progressions: [
      [0, 5, 2, 6],
      [0, 3, 5, 4],
      [0, 5, 3, 4],
      [5, 6, 0, 0],
    ],
    sevenths: false,
    bass: 'sustained',
    drums: 'cinematic',
    arp: 'sixteenths',
    melodyDensity: 0.6,
    rests: 0.2,
    swing: 0,
    reverb: 0.5,
    room: 0.9,
    brightness: 1800,
    preset: 'strings',
  },
  tense: {
    scale: 'harmonicMinor',
    tempo: [92, 116],
    keys: ['E', 'F', 'C', 'B', 'F#'],
    progressions: [
      [0, 0, 5, 4],
      [0, 1, 4, 0],
      [0, 5, 1, 4],
      [0, 3, 4, 4],
    ],
    sevenths: false,
    bass: 'ostinato',
    drums: 'ticking',
    arp: 'sixteenths',
    melodyDensity: 0.8,
    rests: 0.35,
    swing: 0,
    reverb: 0.3,
    room: 0.6,
    brightness: 1400,
    preset: 'electronic',
  },
  playful: {
    scale: 'major',
    tempo: [116, 136],
    keys: ['F', 'G', 'C', 'A', 'Bb'],
    progressions: [
      [0, 3, 4, 0],
      [0, 5, 1, 4],
      [0, 3, 1, 4],
      [3, 4, 0, 0],
    ],
    sevenths: false,
    bass: 'bounce',
    drums: 'shuffle',
    arp: 'strum',
    melodyDensity: 1.6,
    rests: 0.3,
    swing: 0.18,
    reverb: 0.18,
    room: 0.4,
    brightness: 3800,
    preset: 'mallets',
  },
  melancholic: {
    scale: 'minor',
    tempo: [58, 72],
    keys: ['A', 'D', 'E', 'B', 'G'],
    progressions: [
      [0, 5, 3, 4],
      [0, 6, 5, 4],
      [0, 3, 6, 0],
      [5, 3, 0, 4],
    ],
    sevenths: true,
    bass: 'sustained',
    drums: 'none',
    arp: 'broken',
    melodyDensity: 0.7,
    rests: 0.25,
    swing: 0,
    reverb: 0.45,
    room: 0.8,
    brightness: 1600,
    preset: 'piano',
  },
  dreamy: {
    scale: 'lydian',
    tempo: [70, 88],
    keys: ['D', 'Eb', 'F', 'Ab', 'B'],
    progressions: [
      [0, 1, 0, 1],
      [0, 1, 5, 4],
      [0, 4, 1, 0],
      [3, 1, 0, 0],
    ],
    sevenths: true,
    bass: 'sustained',
    drums: 'none',
    arp: 'bells',
    melodyDensity: 0.6,
    rests: 0.3,
    swing: 0,
    reverb: 0.6,
    room: 0.95,
    brightness: 3000,
    preset: 'ambient',
  },
};

/** A mood name, accepting the first Soundtrack's names as aliases. */
export function canonicalMood(name: unknown): unknown {
  return typeof name === 'string' && Object.hasOwn(MOOD_ALIASES, name) ? MOOD_ALIASES[name] : name;
}
