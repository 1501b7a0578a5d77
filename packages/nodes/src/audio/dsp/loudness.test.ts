import { describe, expect, it } from 'vitest';
import { AudioValue } from '../../values/audio.js';
import { composeMusic } from '../music/index.js';
import { ebur128 } from '../testing/analysis.js';
import { limitTruePeak } from './limiter.js';
import { measureLoudness } from './loudness.js';
import { normalizeLoudness } from './normalize.js';
import { truePeakDb } from './true-peak.js';

const sr = 48000;
const music = async (volume: number, mood: 'uplifting' | 'tense' = 'uplifting') =>
  (await composeMusic({ mood, seconds: 8, seed: 5, sampleRate: sr, volume, fadeIn: 0.5, fadeOut: 1 })).samples;

describe('loudness', () => {
  it("measures integrated loudness and true peak as ffmpeg's ebur128 does", async () => {
    // BS.1770's reference: a full-scale 997 Hz sine on both channels reads -3.01 LUFS, so one at -20 dBFS reads -20.01.
    const sine = new Float32Array(sr * 4 * 2);
    for (let i = 0; i < sr * 4; i++) sine[i * 2] = sine[i * 2 + 1] = 0.1 * Math.sin((2 * Math.PI * 997 * i) / sr);
    const ours = measureLoudness(sine, 2, sr).integrated;
    const theirs = await ebur128(new AudioValue(sr, 2, sine));
    expect(ours).toBeCloseTo(theirs.integrated, 1);
    expect(ours).toBeCloseTo(-20.01, 1);
    for (const volume of [0.1, 1]) {
      const s = await music(volume);
      const ff = await ebur128(new AudioValue(sr, 2, s));
      expect(Math.abs(measureLoudness(s, 2, sr).integrated - ff.integrated)).toBeLessThan(0.15);
      expect(Math.abs(truePeakDb(s, 2) - ff.truePeak)).toBeLessThan(0.3);
    }
    expect(measureLoudness(new Float32Array(sr * 2), 2, sr).integrated).toBe(-Infinity);
  });

  it('normalises to -14 LUFS with the true peak under -1 dBTP at any level (checked by ffmpeg)', async () => {
    for (const volume of [0.1, 0.5, 1]) {
      const { samples, report } = normalizeLoudness(await music(volume, 'tense'), {
        targetLufs: -14,
        truePeakDb: -1,
        sampleRate: sr,
        channels: 2,
      });
      const ff = await ebur128(new AudioValue(sr, 2, samples));
      expect(Math.abs(ff.integrated + 14), `volume ${volume}: ${ff.integrated} LUFS`).toBeLessThanOrEqual(1);
      expect(ff.truePeak, `volume ${volume}`).toBeLessThanOrEqual(-1);
      expect(Math.abs(report.outputLufs + 14)).toBeLessThan(0.1);
    }
  });

  it('limits without letting any peak through, and leaves quiet sound alone', () => {
    const s = new Float32Array(sr * 2);
    for (let i = 0; i < sr; i++) s[i * 2] = s[i * 2 + 1] = (i % 4800 < 50 ? 1.5 : 0.2) * Math.sin((2 * Math.PI * 440 * i) / sr);
    const quiet = Float32Array.from(s, (v) => v / 10);
    const copy = Float32Array.from(quiet);
    expect(limitTruePeak(quiet, 2, { ceiling: 0.5, sampleRate: sr })).toBe(1);
    expect(quiet).toEqual(copy);
    const deepest = limitTruePeak(s, 2, { ceiling: 0.5, sampleRate: sr });
    expect(deepest).toBeLessThan(0.4);
    expect(truePeakDb(s, 2)).toBeLessThanOrEqual(20 * Math.log10(0.5) + 1e-3);
  });
});
