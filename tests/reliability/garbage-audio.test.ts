import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMediaFile, ffmpegPath } from '@kinegraph/nodes';
import { removeDir, tempDir } from '../server/harness.js';

/**
 * Found by the hostile-files pass: a FLAC header over random bytes was accepted as an upload (ffmpeg's FLAC
 * decoder skips frames it can not read without an error, so `-xerror` never fired) and LoadAudio then said it
 * holds no samples. The upload check now refuses a file of which not one frame decodes.
 */
describe('an audio upload of which nothing decodes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('kg-garbage-audio-');
  });
  afterAll(() => removeDir(dir));

  it('is refused, and a whole FLAC still passes', async () => {
    const good = path.join(dir, 'tone.flac');
    execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'flac', good]);
    const bytes = await readFile(good);
    let x = 7;
    for (let i = 42; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const bad = path.join(dir, 'garbage.flac');
    await writeFile(bad, bytes);
    await expect(checkMediaFile(good, 'tone.flac', 'audio')).resolves.toMatchObject({ ext: 'flac', channels: 1 });
    await expect(checkMediaFile(bad, 'garbage.flac', 'audio')).rejects.toThrow(
      '"garbage.flac" holds no decodable audio: not one frame of it decodes',
    );
  });
});
