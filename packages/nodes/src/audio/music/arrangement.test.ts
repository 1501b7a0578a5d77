import { describe, expect, it } from 'vitest';
import { arrange, fitTempo } from './arrangement.js';
import { compose } from './compose.js';
import { MOOD_SPECS, MOODS } from './moods.js';
import { SCALES } from './theory.js';

describe('arrangement', () => {
  it('nudges the tempo so whole beats fill the clip exactly', () => {
    for (const [bpm, seconds] of [
      [80, 6],
      [120, 7.3],
      [66, 61.7],
      [130, 2],
    ] as const) {
      const fit = fitTempo(bpm, seconds);
      expect((fit.beats * 60) / fit.bpm).toBeCloseTo(seconds, 9);
      expect(Math.abs(fit.bpm - bpm) / bpm).toBeLessThan(60 / bpm / 2 / seconds + 1e-9);
    }
  });

  it('ends its last phrase, on a final bar, exactly at the clip end', () => {
    for (const seconds of [3, 6, 10.5, 31, 60]) {
      const a = arrange(100, seconds);
      const last = a.bars.at(-1)!;
      expect(last.final).toBe(true);
      expect(last.start + last.beats * a.beatSeconds).toBeCloseTo(seconds, 9);
      // The final bar is the last bar of its phrase (the cadence lands on the end).
      if (!last.pickup) expect(last.inPhrase).toBe(3);
      // Bars follow each other without gaps.
      for (let i = 1; i < a.bars.length; i++)
        expect(a.bars[i].start).toBeCloseTo(a.bars[i - 1].start + a.bars[i - 1].beats * a.beatSeconds, 9);
    }
  });

  it('builds towards the middle and resolves: energy peaks after the opening and falls at the end', () => {
    const a = arrange(100, 60);
    const energy = a.bars.filter((b) => !b.pickup).map((b) => b.energy);
    const peak = energy.indexOf(Math.max(...energy));
    expect(energy[0]).toBeLessThan(0.4);
    expect(peak / energy.length).toBeGreaterThan(0.5);
    expect(peak / energy.length).toBeLessThan(0.85);
    expect(energy.at(-1)!).toBeLessThan(energy[peak] - 0.3);
  });

  it('resolves every mood on the tonic, the melody last on the tonic pitch class', () => {
    for (const mood of MOODS) {
      const c = compose({ mood, seconds: 20, seed: 4, key: 'D' });
      expect(c.chords.at(-1)!.degree).toBe(0);
      const melody = c.events.filter((e) => e.part === 'melody');
      expect(((melody.at(-1)!.midi % 12) + 12) % 12).toBe(2); // D
      // The melody and the harmony stay in the mood's scale on D; nothing sounds after the clip.
      const inScale = new Set(SCALES[MOOD_SPECS[mood].scale].map((s) => (s + 2) % 12));
      for (const e of c.events) {
        if (e.part === 'melody' || e.part === 'harmony')
          expect(inScale.has(((e.midi % 12) + 12) % 12), `${mood} ${e.part} ${e.midi}`).toBe(true);
        expect(e.time).toBeLessThan(20);
      }
    }
  });
});
