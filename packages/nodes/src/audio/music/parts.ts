import type { Bar } from './arrangement.js';
import type { ArpStyle, BassStyle, DrumStyle } from './moods.js';
import type { NoteEvent } from './score.js';
import type { Chord } from './theory.js';

/** What every part writer gets for one bar. */
export interface BarContext {
  bar: Bar;
  chord: Chord;
  /** The chord's notes voiced for the harmony (close, around middle C). */
  voicing: number[];
  beat: number;
  swing: number;
  rand: () => number;
  out: NoteEvent[];
}

/** A position in sixteenths inside the bar -> seconds, swung eighths on the off-beat eighths. */
export function at(c: BarContext, sixteenth: number): number {
  const eighth = sixteenth / 2;
  const swung = Number.isInteger(eighth) && eighth % 2 === 1 ? c.swing * (c.beat / 2) : 0;
  // A few milliseconds of seeded looseness: a played feel rather than a grid.
  const jitter = (c.rand() - 0.5) * 0.008;
  return Math.max(0, c.bar.start + (sixteenth / 4) * c.beat + swung + (sixteenth === 0 ? 0 : jitter));
}

const vel = (c: BarContext, base: number) => Math.min(1, Math.max(0.05, base * (0.75 + 0.35 * c.bar.energy) * (0.92 + 0.16 * c.rand())));

export function writeBass(c: BarContext, style: BassStyle): void {
  const { chord, bar, beat } = c;
  const root = chord.root - 12; // the second octave (C2 = 65 Hz)
  const fifth = root + 7;
  const steps = bar.beats * 4;
  const note = (s: number, len: number, midi: number, v: number): void => {
    c.out.push({ part: 'bass', time: at(c, s), duration: (len / 4) * beat, midi, velocity: vel(c, v), pan: 0 });
  };
  if (bar.final) return note(0, steps, root, 0.8);
  switch (style) {
    case 'sustained':
      note(0, Math.min(steps, 8), root, 0.8);
      if (steps > 8) note(8, steps - 8, bar.energy > 0.6 ? fifth : root, 0.7);
      return;
    case 'pulse':
      for (let s = 0; s < steps; s += 2) note(s, 1.6, root, s % 4 === 0 ? 0.85 : 0.6);
      return;
    case 'walking':
    case 'bounce':
      for (let s = 0; s < steps; s += 4) {
        const beatIndex = s / 4;
        note(s, 2.5, beatIndex === 2 ? fifth : root, beatIndex === 0 ? 0.9 : 0.65);
        if (c.bar.energy > 0.5) note(s + 2, 1.2, beatIndex % 2 ? root + 12 : root, 0.45);
      }
      return;
    case 'ostinato':
      for (let s = 0; s < steps; s++) {
        const pattern = [root, root, root + 12, root, root, root + 7, root, root + 12];
        if (s % 2 === 1 && c.bar.energy < 0.55) continue;
        note(s, 0.8, pattern[s % 8], s % 4 === 0 ? 0.85 : 0.5);
      }
      return;
  }
}

export function writeHarmony(c: BarContext, style: ArpStyle): void {
  const { voicing, bar, beat } = c;
  const steps = bar.beats * 4;
  const note = (s: number, len: number, midi: number, v: number, pan = 0): void => {
    c.out.push({ part: 'harmony', time: at(c, s), duration: (len / 4) * beat, midi, velocity: vel(c, v), pan });
  };
  if (bar.final) {
    // The close: the tonic chord once, rolled gently from the bottom.
    voicing.forEach((m, i) =>
      c.out.push({
        part: 'harmony',
        time: bar.start + i * 0.03,
        duration: bar.beats * beat,
        midi: m,
        velocity: vel(c, 0.55),
        pan: (i / Math.max(1, voicing.length - 1)) * 0.6 - 0.3,
      }),
    );
    return;
  }
  const tones = voicing;
  switch (style) {
    case 'none':
      return;
    case 'broken': {
      // Root, fifth, third, fifth ... in eighths, the beat notes stronger (they carry the pulse).
      // Quarter notes while the piece is quiet, eighths as it fills.
      const order = [0, 2, 1, 2, 3 % tones.length, 2, 1, 2];
      const every = bar.energy > 0.85 ? 2 : 4;
      for (let s = 0; s < steps; s += every)
        note(s, 3, tones[order[(s / 2) % order.length] % tones.length], s % 4 === 0 ? 0.75 : 0.35, 0.15 * Math.sin(s));
      return;
    }
    case 'eighths':
      for (let s = 0; s < steps; s += 2)
        note(s, 1.5, tones[(s / 2) % tones.length] + 12, s % 4 === 0 ? 0.7 : 0.45, (s / 2) % 2 ? 0.4 : -0.4);
      return;
    case 'sixteenths':
      for (let s = 0; s < steps; s++) {
        // Eighths until the peak, sixteenths only there.
        if (bar.energy < 0.85 && s % 2 === 1) continue;
        const up = [0, 1, 2, 1][s % 4];
        note(s, 0.9, tones[up % tones.length], s % 4 === 0 ? 0.65 : 0.35, s % 2 ? 0.3 : -0.3);
      }
      return;
    case 'strum':
      // Short chords on the off-beats, a bass-less bounce.
      for (let s = 2; s < steps; s += 4) tones.forEach((m, i) => note(s, 1, m + 12, 0.4 + (i === 0 ? 0.1 : 0), i * 0.2 - 0.3));
      for (let s = 0; s < steps; s += 8) note(s, 1.5, tones[0] + 12, 0.6);
      return;
    case 'bells':
      for (let s = 0; s < steps; s += 8)
        note(s, 8, tones[(s / 8 + bar.index) % tones.length] + 12, s === 0 ? 0.55 : 0.4, s === 0 ? -0.4 : 0.4);
      return;
  }
}

export function writeDrums(c: BarContext, style: DrumStyle): void {
  const { bar } = c;
  const steps = bar.beats * 4;
  const hit = (part: NoteEvent['part'], s: number, v: number, pan = 0): void => {
    c.out.push({ part, time: at(c, s), duration: 0.1, midi: 0, velocity: vel(c, v), pan });
  };
  if (style === 'none') return;
  if (bar.final) return hit(style === 'cinematic' ? 'tom' : 'kick', 0, 0.6);
  const busy = bar.energy > 0.75;
  for (let s = 0; s < steps; s++) {
    const onBeat = s % 4 === 0;
    const beatIndex = s / 4;
    switch (style) {
      case 'soft':
        if (s === 0) hit('kick', s, 0.55);
        if (s === 8) hit('rim', s, 0.35, 0.2);
        // On the beats; the off-beat eighths join, quieter, only as the piece fills.
        if (onBeat || (busy && s % 2 === 0)) hit('shaker', s, onBeat ? 0.4 : 0.15, 0.3);
        break;
      case 'pop':
        if (s === 0 || s === 8 || (busy && s === 6)) hit('kick', s, 0.8);
        if (s === 4 || s === 12) hit('snare', s, 0.6);
        if (s % 2 === 0) hit('hat', s, onBeat ? 0.5 : 0.3, 0.25);
        break;
      case 'cinematic':
        if (s === 0) hit('tom', s, 0.9);
        if (s === 10 || (busy && s === 14)) hit('tom', s, 0.55, -0.2);
        if (busy && s % 2 === 0 && !onBeat) hit('rim', s, 0.25, 0.3);
        if (onBeat && beatIndex > 0) hit('kick', s, 0.45);
        break;
      case 'ticking':
        if (onBeat) hit('kick', s, beatIndex === 0 ? 0.75 : 0.45);
        hit('hat', s, onBeat ? 0.45 : 0.2, 0.3);
        if (s === 12) hit('rim', s, 0.35, -0.2);
        break;
      case 'shuffle':
        if (onBeat) hit('kick', s, beatIndex % 2 ? 0.5 : 0.75);
        if (s === 4 || s === 12) hit('snare', s, 0.7);
        if (s % 2 === 0) hit('hat', s, onBeat ? 0.45 : 0.25, 0.25);
        if (busy && s % 4 === 2) hit('shaker', s, 0.25, -0.3);
        break;
    }
  }
}
