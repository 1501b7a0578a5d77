import { describe, expect, it } from 'vitest';
import { createServices, UserError } from '@kinegraph/graph-core';
import { createTestCtx, runNode } from '../test-support/ctx.js';
import { movingSquareVideo } from '../test-support/videos.js';
import { AudioValue } from '../values/audio.js';
import { Soundtrack } from './soundtrack.js';

const ctx = () => createTestCtx(createServices([]));
const bytes = (a: AudioValue) => Buffer.from(a.samples.buffer, a.samples.byteOffset, a.samples.byteLength);
const rms = (s: Float32Array, from: number, to: number) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += s[i] * s[i];
  return Math.sqrt(sum / (to - from));
};

describe('Soundtrack', () => {
  it('takes its length from the video and fades in and out', async () => {
    const { audio } = await runNode(Soundtrack, ctx(), { video: movingSquareVideo(16, 16, 72, 24) }, { seed: 3 });
    expect(audio).toBeInstanceOf(AudioValue);
    expect(audio.channels).toBe(2);
    expect(audio.durationSeconds).toBeCloseTo(3, 3);
    const s: Float32Array = audio.samples;
    expect(Math.abs(s[0])).toBeLessThan(1e-3);
    expect(Math.abs(s[s.length - 1])).toBeLessThan(1e-3);
    // Sound in the middle, at about the requested peak level.
    const mid = s.length / 2;
    expect(rms(s, mid - 9600, mid + 9600)).toBeGreaterThan(0.05);
    const peak = s.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(peak).toBeGreaterThan(0.3);
    // The two channels differ (a wide stereo pad, not mono copied).
    let diff = 0;
    for (let i = 0; i < s.length; i += 2) diff += Math.abs(s[i] - s[i + 1]);
    expect(diff / (s.length / 2)).toBeGreaterThan(1e-3);
  });

  it('is deterministic per seed; seed and mood change the sound', async () => {
    const run = (params: Record<string, unknown>) => runNode(Soundtrack, ctx(), {}, { duration: 4, ...params });
    const a = (await run({ seed: 1 })).audio;
    const b = (await run({ seed: 1 })).audio;
    const c = (await run({ seed: 2 })).audio;
    const d = (await run({ seed: 1, mood: 'dark' })).audio;
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    expect(bytes(a).equals(bytes(d))).toBe(false);
    expect(a.durationSeconds).toBeCloseTo(4, 3);
  });

  it('needs a duration or a video', async () => {
    await expect(runNode(Soundtrack, ctx(), {}, {})).rejects.toThrow(UserError);
  });
});
