import { describe, expect, it } from 'vitest';
import { createServices, UserError } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../test-support/ctx.js';
import { AudioValue } from '../values/audio.js';
import { MixAudio } from './mix-audio.js';
import { rmsDb } from './testing/analysis.js';

const ctx = () => createTestCtx(createServices([]));
const sr = 48000;

/** A steady stereo tone (the "music"). */
function tone(seconds: number, hz: number, level: number, rate = sr, channels = 2): AudioValue {
  const s = new Float32Array(Math.round(seconds * rate) * channels);
  for (let i = 0; i < s.length / channels; i++)
    for (let c = 0; c < channels; c++) s[i * channels + c] = level * Math.sin((2 * Math.PI * hz * i) / rate);
  return new AudioValue(rate, channels, s);
}

/** Mono "speech": silence, then bursts of a 300 Hz tone with short gaps between "words" from 3 s to 6 s. */
function speech(): AudioValue {
  const rate = 16000;
  const s = new Float32Array(rate * 9);
  for (let i = 3 * rate; i < 6 * rate; i++) if ((i / rate) % 0.5 < 0.4) s[i] = 0.3 * Math.sin((2 * Math.PI * 300 * i) / rate);
  return new AudioValue(rate, 1, s);
}

describe('MixAudio', () => {
  it('adds the sounds with their gains at the highest rate, stereo, as long as the longest', async () => {
    const { audio } = await runNode(
      MixAudio,
      ctx(),
      { audio_1: tone(2, 440, 0.2), audio_2: tone(3, 660, 0.2, 16000, 1) },
      { gain_1: -6, gain_2: 0 },
    );
    expect([audio.sampleRate, audio.channels]).toEqual([48000, 2]);
    expect(audio.durationSeconds).toBeCloseTo(3, 3);
    // After the first ends only the second (0.2 sine: -17 dBFS RMS) is left.
    expect(rmsDb(audio, 2.2, 2.9)).toBeCloseTo(20 * Math.log10(0.2 / Math.SQRT2), 0);
    // Both together: the first at -6 dB.
    const both = 10 * Math.log10((0.1 ** 2 + 0.2 ** 2) / 2);
    expect(rmsDb(audio, 0.5, 1.5)).toBeCloseTo(both, 0);
  });

  it('ducks the music under speech by the set amount, with attack and release', async () => {
    const music = tone(9, 220, 0.25);
    for (const amount of [6, 12, 18]) {
      // The speech far down in the mix (the ducking key is taken before its gain): the mix's level is the music's.
      const { audio: musicOnly } = await runNode(
        MixAudio,
        ctx(),
        { audio_1: music, audio_2: speech() },
        { gain_2: -60, duck_under: 'audio_2', duck_amount: amount, attack: 0.1, release: 0.5 },
      );
      const before = rmsDb(musicOnly, 1, 2.5);
      const under = rmsDb(musicOnly, 3.2, 5.8); // through the gaps between words too (hold)
      const after = rmsDb(musicOnly, 7.2, 8.8);
      expect(before - under, `duck ${amount} dB`).toBeCloseTo(amount, 0);
      expect(Math.abs(after - before)).toBeLessThan(0.2);
      // The dip is in place as the first word starts (looked ahead by the attack) and gone by the release.
      expect(rmsDb(musicOnly, 3.0, 3.1)).toBeLessThan(before - amount + 1);
      expect(rmsDb(musicOnly, 6.4 + 0.5, 7)).toBeGreaterThan(before - 0.2);
      expect(musicOnly.durationSeconds).toBeCloseTo(9, 3);
    }
  });

  it('refuses fewer than two sounds or ducking under nothing', async () => {
    // The second sound is a required input: the engine's socket check refuses its absence before execute.
    await expect(runNode(MixAudio, ctx(), { audio_1: tone(1, 440, 0.1) }, {})).rejects.toThrow('The audio_2 input is not an AUDIO');
    await expect(
      runNode(MixAudio, ctx(), { audio_1: tone(1, 440, 0.1), audio_2: tone(1, 440, 0.1) }, { duck_under: 'audio_3' }),
    ).rejects.toThrow(UserError);
  });
});
