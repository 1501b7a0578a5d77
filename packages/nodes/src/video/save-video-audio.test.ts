import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MixAudio } from '../audio/mix-audio.js';
import { Soundtrack } from '../audio/soundtrack.js';
import { ebur128 } from '../audio/testing/analysis.js';
import { probe } from '../ffmpeg/probe.js';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { AudioValue } from '../values/audio.js';
import { SaveVideo } from './save-video.js';

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

// 6 s at 24 fps: long enough for R128's gating to mean something.
const video = movingSquareVideo(64, 48, 144, 24);
const clipSeconds = 144 / 24;

async function saveMp4(audio: AudioValue, params: Record<string, unknown> = {}) {
  const ctx = createTestCtx(host.services);
  await runNode(SaveVideo, ctx, { video, audio }, { format: 'mp4', filename_prefix: 'loud', ...params });
  return path.join(host.outputDir, ctx.uis[0].filename!);
}

const soundtrack = async (volume: number) =>
  (await runNode(Soundtrack, createTestCtx(host.services), { video }, { mood: 'uplifting', seed: 9, volume })).audio as AudioValue;

describe('SaveVideo sound', () => {
  it('has an AAC stream as long as the video, the soundtrack composed to the clip', async () => {
    const file = await saveMp4(await soundtrack(0.5));
    const info = await probe(file);
    const v = info.streams.find((s) => s.codec_type === 'video')!;
    const a = info.streams.find((s) => s.codec_type === 'audio')!;
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    // ffprobe reports each stream's duration; probe.ts's type leaves it out.
    const duration = (s: object) => Number((s as { duration?: string }).duration);
    expect(Math.abs(duration(a) - duration(v))).toBeLessThanOrEqual(1 / 24);
    expect(Math.abs(duration(a) - clipSeconds)).toBeLessThanOrEqual(1 / 24);
  });

  it("lands at -14 LUFS (within 1 LU) with the true peak at most -1 dBTP at volumes 0.1, 0.5 and 1, by ffmpeg's ebur128 on the MP4", async () => {
    for (const volume of [0.1, 0.5, 1]) {
      const m = await ebur128(await saveMp4(await soundtrack(volume)));
      expect(Math.abs(m.integrated + 14), `volume ${volume}: ${m.integrated} LUFS`).toBeLessThanOrEqual(1);
      expect(m.truePeak, `volume ${volume}: ${m.truePeak} dBTP`).toBeLessThanOrEqual(-1);
    }
  });

  it('normalises a mix that sums past full scale too', async () => {
    const music = await soundtrack(1);
    const other = (await runNode(Soundtrack, createTestCtx(host.services), { video }, { mood: 'tense', seed: 2, volume: 1 })).audio;
    const { audio: mixed } = await runNode(
      MixAudio,
      createTestCtx(host.services),
      { audio_1: music, audio_2: other },
      { gain_1: 6, gain_2: 6 },
    );
    const peak = (mixed as AudioValue).samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(1.5);
    const m = await ebur128(await saveMp4(mixed));
    expect(Math.abs(m.integrated + 14)).toBeLessThanOrEqual(1);
    expect(m.truePeak).toBeLessThanOrEqual(-1);
  });

  it('follows another target, and can leave the level as it is', async () => {
    const music = await soundtrack(0.5);
    const quiet = await ebur128(await saveMp4(music, { loudness: -23, true_peak: -2 }));
    expect(Math.abs(quiet.integrated + 23)).toBeLessThanOrEqual(1);
    expect(quiet.truePeak).toBeLessThanOrEqual(-2);
    const asIs = await ebur128(await saveMp4(music, { normalize_audio: false }));
    const source = await ebur128(music);
    expect(Math.abs(asIs.integrated - source.integrated)).toBeLessThan(0.5);
  });
});
