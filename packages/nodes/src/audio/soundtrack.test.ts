import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, NodeRegistry, UserError, validateWorkflow } from '@kinegraph/graph-core';
import { probe } from '../ffmpeg/probe.js';
import { createTestCtx, createTestHost, runNode, type TestHost } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { AudioValue } from '../values/audio.js';
import { videoFromFrames } from '../values/video.js';
import { composeMusic, videoPace } from './music/index.js';
import { Soundtrack } from './soundtrack.js';
import { chroma, modeFit, onsetTempo } from './testing/analysis.js';

const ctx = () => createTestCtx(createServices([]));
const bytes = (a: AudioValue) => Buffer.from(a.samples.buffer, a.samples.byteOffset, a.samples.byteLength);
const run = (params: Record<string, unknown>, inputs: Record<string, unknown> = {}) => runNode(Soundtrack, ctx(), inputs, params);

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost();
});
afterAll(() => host.cleanup());

describe('Soundtrack', () => {
  it('lasts exactly as long as the video (within one frame), 48 kHz stereo, faded in and out', async () => {
    for (const [frames, fps] of [
      [72, 24],
      [125, 30],
      [49, 25],
    ] as const) {
      const { audio } = await run({ seed: 3 }, { video: movingSquareVideo(16, 16, frames, fps) });
      expect([audio.sampleRate, audio.channels]).toEqual([48000, 2]);
      expect(Math.abs(audio.durationSeconds - frames / fps)).toBeLessThan(1 / fps);
      expect(Math.abs(audio.durationSeconds - frames / fps)).toBeLessThan(1 / 48000);
      const s: Float32Array = audio.samples;
      expect(Math.abs(s[0])).toBeLessThan(1e-3);
      expect(Math.abs(s[s.length - 1])).toBeLessThan(1e-3);
      const peak = s.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(peak).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(peak).toBeGreaterThan(0.2);
      // Wide stereo, not one channel copied.
      let diff = 0;
      for (let i = 0; i < s.length; i += 2) diff += Math.abs(s[i] - s[i + 1]);
      expect(diff / (s.length / 2)).toBeGreaterThan(1e-3);
    }
  });

  it('gives the same samples for the same seed, other samples for another seed, mood or key', async () => {
    const a = (await run({ duration: 4, seed: 1 })).audio;
    const b = (await run({ duration: 4, seed: 1 })).audio;
    expect(bytes(a).equals(bytes(b))).toBe(true);
    for (const other of [{ seed: 2 }, { seed: 1, mood: 'tense' }, { seed: 1, key: 'F#' }, { seed: 1, instruments: 'mallets' }]) {
      expect(bytes(a).equals(bytes((await run({ duration: 4, ...other })).audio)), JSON.stringify(other)).toBe(false);
    }
  });

  // 20 s pieces on one tonic (C): long enough for the beat and the key to be unmistakable.
  const piece = async (mood: 'calm' | 'playful' | 'melancholic' | 'cinematic') => {
    const { samples, composition } = await composeMusic({
      mood,
      seconds: 20,
      seed: 7,
      key: 'C',
      sampleRate: 48000,
      volume: 0.5,
      fadeIn: 0.5,
      fadeOut: 1.5,
    });
    return { audio: new AudioValue(48000, 2, samples), bpm: composition.arrangement.bpm };
  };

  it('moods differ measurably in tempo: the onset envelope finds the composed tempo, the quick mood quicker', async () => {
    const playful = await piece('playful');
    const melancholic = await piece('melancholic');
    const [quick, slow] = [onsetTempo(playful.audio), onsetTempo(melancholic.audio)];
    expect(Math.abs(quick - playful.bpm) / playful.bpm).toBeLessThan(0.03);
    expect(Math.abs(slow - melancholic.bpm) / melancholic.bpm).toBeLessThan(0.03);
    expect(quick).toBeGreaterThan(1.5 * slow);
  });

  it('moods differ measurably in mode: on the same tonic the major mood fits the major profile, the minor mood the minor one', async () => {
    const calm = modeFit(chroma((await piece('calm')).audio), 0);
    const cinematic = modeFit(chroma((await piece('cinematic')).audio), 0);
    expect(calm.major).toBeGreaterThan(calm.minor + 0.1);
    expect(cinematic.minor).toBeGreaterThan(cinematic.major + 0.1);
  });

  it('auto tempo follows the clip: a busier picture gets a quicker tempo within the mood', async () => {
    const frame = await movingSquareVideo(64, 64, 1).frameAt(0);
    const still = videoFromFrames(
      64,
      64,
      24,
      Array.from({ length: 48 }, () => frame),
    );
    const flicker = videoFromFrames(
      64,
      64,
      24,
      Array.from({ length: 48 }, (_, i) => (i % 2 ? frame.map((v) => 255 - v) : frame)),
    );
    const moving = movingSquareVideo(64, 64, 48, 24);
    const [a, b, c] = [await videoPace(still), await videoPace(moving), await videoPace(flicker)];
    expect(a).toBe(0);
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    const bpm = async (video: typeof still) => {
      const x = createTestCtx(host.services);
      await runNode(Soundtrack, x, { video }, { seed: 1, mood: 'uplifting' });
      return x.uis[1].data!.bpm as number;
    };
    const [slow, quick] = [await bpm(still), await bpm(flicker)];
    // Uplifting spans 104-124 BPM (nudged so whole beats fit the 2 s clip).
    expect(slow).toBeLessThan(110);
    expect(quick).toBeGreaterThan(118);
  });

  it("reads the first Soundtrack's moods (version 1: warm, dark, bright) as the moods they became", async () => {
    const registry = new NodeRegistry([Soundtrack]);
    for (const [old, now] of [
      ['dark', 'cinematic'],
      ['bright', 'uplifting'],
      ['warm', 'calm'],
      ['dreamy', 'dreamy'],
    ]) {
      for (const version of [1, undefined]) {
        const result = validateWorkflow(
          {
            format: 'kinegraph.workflow',
            version: 1,
            nodes: {
              s: {
                type: 'Soundtrack',
                ...(version ? { version } : {}),
                params: { mood: old, seed: 1, duration: 2, volume: 0.5, fade_in: 1.5, fade_out: 2 },
                inputs: {},
              },
            },
          },
          registry,
        );
        expect(result.issues.filter((i) => i.severity !== 'warning')).toEqual([]);
        expect(result.workflow!.nodes.s.params.mood).toBe(now);
      }
    }
    expect((await run({ duration: 2, mood: 'dark' })).audio.durationSeconds).toBeCloseTo(2, 6);
  });

  it('shows a waveform picture and a playable MP3 in the node', async () => {
    const c = createTestCtx(host.services);
    await runNode(Soundtrack, c, {}, { duration: 3, seed: 2, mood: 'uplifting' });
    const [picture, sound] = c.uis;
    expect(picture).toMatchObject({ kind: 'image', folder: 'temp', mime: 'image/png' });
    expect(await sharp(path.join(host.tempDir, picture.filename!)).metadata()).toMatchObject({ format: 'png', width: 640, height: 120 });
    expect(sound).toMatchObject({ kind: 'audio', folder: 'temp', mime: 'audio/mpeg', data: { mood: 'uplifting', seconds: 3 } });
    const info = await probe(path.join(host.tempDir, sound.filename!));
    expect(info.streams[0]).toMatchObject({ codec_name: 'mp3', channels: 2 });
    expect(Number(info.format.duration)).toBeCloseTo(3, 1);
  });

  it('refuses what it can not do with clear errors', async () => {
    await expect(run({})).rejects.toThrow(UserError);
    await expect(run({ duration: 2, tempo: 20 })).rejects.toThrow(/too slow/);
    expect(Soundtrack.checkParams!({ tempo: 20 } as never)).toEqual([['tempo', expect.stringMatching(/too slow/)]]);
  });
});
