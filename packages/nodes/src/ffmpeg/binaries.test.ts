import { afterEach, describe, expect, it } from 'vitest';
import { OperationalError } from '@kinegraph/graph-core';
import { ffmpegPath, ffprobePath } from './binaries.js';

const saved = { ...process.env };
afterEach(() => {
  process.env.FFMPEG_PATH = saved.FFMPEG_PATH;
  if (saved.FFMPEG_PATH === undefined) delete process.env.FFMPEG_PATH;
});

describe('ffmpeg binaries', () => {
  it('finds the packaged binaries', () => {
    expect(ffmpegPath()).toMatch(/ffmpeg$/);
    expect(ffprobePath()).toMatch(/ffprobe$/);
  });

  it('honours FFMPEG_PATH and says clearly when it is wrong', () => {
    process.env.FFMPEG_PATH = '/bin/sh';
    expect(ffmpegPath()).toBe('/bin/sh');
    process.env.FFMPEG_PATH = '/no/such/ffmpeg';
    expect(() => ffmpegPath()).toThrow(OperationalError);
    expect(() => ffmpegPath()).toThrow(/FFMPEG_PATH is set to \/no\/such\/ffmpeg/);
  });
});
