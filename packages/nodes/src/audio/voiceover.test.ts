import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@kinegraph/graph-core';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import type { AudioValue } from '../values/audio.js';
import { bandShare, rmsDb } from './testing/analysis.js';
import { Voiceover } from './voiceover.js';

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

const speak = async (params: Record<string, unknown>, inputs: Record<string, unknown> = {}) => {
  const ctx = createTestCtx(host.services);
  const { audio } = await runNode(Voiceover, ctx, inputs, { start: 0, ...params });
  return { audio: audio as AudioValue, ctx };
};

/** Seconds from the first to the last sample over -50 dBFS. */
function spokenSeconds(a: AudioValue): number {
  let first = -1;
  let last = -1;
  for (let i = 0; i < a.samples.length / 2; i++) {
    if (Math.abs(a.samples[i * 2]) > 0.003) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return (last - first) / a.sampleRate;
}

/** How much the level moves from one 50 ms window to the next while sounding (speech comes in syllables; a hum does not). */
function syllabicModulation(a: AudioValue): number {
  const win = Math.round(0.05 * a.sampleRate);
  const levels: number[] = [];
  for (let at = 0; at + win <= a.samples.length / 2; at += win) {
    let s = 0;
    for (let i = at; i < at + win; i++) s += a.samples[i * 2] ** 2;
    levels.push(Math.sqrt(s / win));
  }
  const sounding = levels.filter((l) => l > 0.01);
  const mean = sounding.reduce((x, y) => x + y, 0) / sounding.length;
  const sd = Math.sqrt(sounding.reduce((x, y) => x + (y - mean) ** 2, 0) / sounding.length);
  return sd / mean;
}

describe('Voiceover', () => {
  it('speaks: energy in the speech band, 48 kHz stereo, longer for longer text', async () => {
    const short = (await speak({ text: 'The evening light.' })).audio;
    const long = (
      await speak({ text: 'The evening light fades over the quiet bay, and the town below begins to glow, one window at a time.' })
    ).audio;
    expect([short.sampleRate, short.channels]).toEqual([48000, 2]);
    for (const a of [short, long]) {
      // Voice fundamentals and formants: nearly all the energy between 80 Hz and 4 kHz, a real share of it in the formant range.
      expect(bandShare(a, 80, 4000)).toBeGreaterThan(0.9);
      expect(bandShare(a, 300, 3400)).toBeGreaterThan(0.08);
      expect(rmsDb(a, 0, a.durationSeconds)).toBeGreaterThan(-35);
      expect(syllabicModulation(a)).toBeGreaterThan(0.25);
    }
    expect(spokenSeconds(long)).toBeGreaterThan(2.5 * spokenSeconds(short));
  });

  it('speaks faster at a higher rate and higher at a higher pitch; every voice speaks', async () => {
    const text = 'Waves roll in softly under a pale sky.';
    const normal = (await speak({ text })).audio;
    const fast = (await speak({ text, rate: 1.6 })).audio;
    expect(spokenSeconds(fast)).toBeLessThan(0.75 * spokenSeconds(normal));
    const low = bandShare((await speak({ text, pitch: -6 })).audio, 80, 250);
    const high = bandShare((await speak({ text, pitch: 6 })).audio, 80, 250);
    expect(high).toBeLessThan(low);
    for (const voice of ['rms', 'awb', 'kal16', 'kal']) {
      const { audio } = await speak({ text: 'Hello there.', voice, pitch: voice === 'rms' ? 2 : 0 });
      expect(bandShare(audio, 80, 4000), voice).toBeGreaterThan(0.9);
      expect(syllabicModulation(audio), voice).toBeGreaterThan(0.25);
    }
  });

  it('fits the speech to the clip: it ends just before the clip does, padded to its length', async () => {
    const clip = movingSquareVideo(16, 16, 8 * 24, 24);
    const slow = 'The tide turns slowly in the harbour, and the fishing boats come home one by one at dusk.'; // about 5.5 s: slowed down
    const quick =
      'The tide turns slowly in the harbour, the boats come home one by one, their lights swinging as the gulls settle on the old stone wall and the town grows quiet.'; // about 10 s: sped up
    for (const text of [slow, quick]) {
      const { audio, ctx } = await speak({ text, fit_to_clip: true, start: 0.5 }, { video: clip });
      expect(audio.durationSeconds).toBeCloseTo(8, 3);
      expect(ctx.warnings, text).toEqual([]);
      // The last word ends within the last second (Flite leaves a little silence at either end), none after the clip.
      let last = 0;
      for (let i = 0; i < audio.samples.length / 2; i++) if (Math.abs(audio.samples[i * 2]) > 0.003) last = i / 48000;
      expect(last, text).toBeGreaterThan(7);
      expect(last, text).toBeLessThan(8);
      expect(ctx.uis[1].data!.rate).not.toBe(1);
    }
    // A text far too short for the clip even at the slowest rate: spoken, with a warning saying so.
    const { ctx } = await speak({ text: 'Hi.', fit_to_clip: true }, { video: clip });
    expect(ctx.warnings[0].message).toMatch(/slowest/);
  });

  it('shows a waveform and a playable file, and refuses empty or unspeakable text', async () => {
    const { ctx } = await speak({ text: 'Preview me.' });
    expect(ctx.uis.map((u) => u.mime)).toEqual(['image/png', 'audio/mpeg']);
    expect(path.isAbsolute(ctx.uis[1].filename!)).toBe(false);
    await expect(speak({ text: '   ' })).rejects.toThrow(UserError);
    await expect(speak({ text: '!!! ??? ...' })).rejects.toThrow(/no letters/);
    await expect(speak({ text: 'Fit me.', fit_to_clip: true })).rejects.toThrow(/needs a video/);
    expect(Voiceover.checkParams!({ text: '' } as never)).toEqual([['text', 'Write the text to speak']]);
  });
});
