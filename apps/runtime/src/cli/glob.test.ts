import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandGlob } from './glob.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kg-glob-'));
  await mkdir(path.join(dir, 'photos/deep'), { recursive: true });
  for (const f of ['photos/b.jpg', 'photos/a.jpg', 'photos/c.png', 'photos/.hidden.jpg', 'photos/deep/d.jpg', 'photos/a b.jpg'])
    await writeFile(path.join(dir, f), 'x');
  await mkdir(path.join(dir, 'photos/dir.jpg'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('expandGlob', () => {
  const names = async (pattern: string) => (await expandGlob(pattern, dir)).map((f) => path.relative(dir, f));
  it('matches *, ?, [..], {..} and ** in sorted order, files only, hidden files only when asked', async () => {
    expect(await names('photos/*.jpg')).toEqual(['photos/a b.jpg', 'photos/a.jpg', 'photos/b.jpg']);
    expect(await names('photos/?.{jpg,png}')).toEqual(['photos/a.jpg', 'photos/b.jpg', 'photos/c.png']);
    expect(await names('photos/[!a].*')).toEqual(['photos/b.jpg', 'photos/c.png']);
    expect(await names('photos/**/*.jpg')).toEqual(['photos/a b.jpg', 'photos/a.jpg', 'photos/b.jpg', 'photos/deep/d.jpg']);
    expect(await names('photos/.*.jpg')).toEqual(['photos/.hidden.jpg']);
    expect(await names('photos/a.jpg')).toEqual(['photos/a.jpg']);
    expect(await names(path.join(dir, 'photos/c.*'))).toEqual(['photos/c.png']);
    expect(await names('nowhere/*.jpg')).toEqual([]);
  });
});
