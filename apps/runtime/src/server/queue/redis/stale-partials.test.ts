import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { removeStalePartials } from './stale-partials.js';

let dir: string;
afterAll(() => rm(dir, { recursive: true, force: true }));

it('removes only partial output files nobody has written to for a while', async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-partials-'));
  const old = Date.now() / 1000 - 7200;
  for (const name of ['.0123456789ab.partial.mp4', '.ba9876543210.partial.png', 'video_00001.mp4', '.hidden-note'])
    await writeFile(path.join(dir, name), 'x');
  for (const name of ['.0123456789ab.partial.mp4', 'video_00001.mp4', '.hidden-note']) await utimes(path.join(dir, name), old, old);
  expect(await removeStalePartials(dir, 3600_000)).toEqual(['.0123456789ab.partial.mp4']);
  // The fresh partial (a save under way elsewhere), the finished file and unrelated files stay.
  expect((await readdir(dir)).sort()).toEqual(['.ba9876543210.partial.png', '.hidden-note', 'video_00001.mp4']);
});
