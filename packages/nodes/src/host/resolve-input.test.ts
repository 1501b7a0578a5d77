import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@kinegraph/graph-core';
import { resolveInputPath } from './resolve-input.js';
import { createFileHasher } from './hash-file.js';
import { LoadAudio } from '../audio/load-audio.js';
import { LoadImage } from '../image/load-image.js';
import { createTestCtx, createTestHost, runNode } from '../test-support/ctx.js';
import { LoadVideo } from '../video/load-video.js';

let root: string;
let input: string;
let other: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kg-resolve-'));
  input = path.join(root, 'input');
  other = path.join(root, 'other');
  await mkdir(path.join(input, 'sub'), { recursive: true });
  await mkdir(other, { recursive: true });
  await writeFile(path.join(input, 'a.png'), 'a');
  await writeFile(path.join(input, 'sub', 'b.png'), 'b');
  await writeFile(path.join(other, 'c.png'), 'c');
  await symlink(path.join(other, 'c.png'), path.join(input, 'link.png'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('resolveInputPath', () => {
  it('resolves names and sub-folder names inside the input folder', () => {
    expect(resolveInputPath('a.png', { inputDir: input })).toBe(path.join(input, 'a.png'));
    expect(resolveInputPath('sub/b.png', { inputDir: input })).toBe(path.join(input, 'sub', 'b.png'));
  });

  it('rejects traversal, control characters, empty names and absolute paths', () => {
    for (const bad of ['../other/c.png', 'sub/../../x', 'a\0.png', 'a\n.png', '', '   ', path.join(other, 'c.png')]) {
      expect(() => resolveInputPath(bad, { inputDir: input }), bad).toThrow(UserError);
    }
  });

  it('rejects a symlink that leads out of the folder unless absolute paths are allowed', () => {
    expect(() => resolveInputPath('link.png', { inputDir: input })).toThrow(/outside/);
    expect(resolveInputPath('link.png', { inputDir: input, allowAbsolutePaths: true })).toBe(path.join(input, 'link.png'));
  });

  it('allows absolute paths for the CLI and searches further folders in order', () => {
    const abs = path.join(other, 'c.png');
    expect(resolveInputPath(abs, { inputDir: input, allowAbsolutePaths: true })).toBe(abs);
    expect(resolveInputPath('c.png', { inputDir: input, searchDirs: [other] })).toBe(abs);
    expect(resolveInputPath('missing.png', { inputDir: input, searchDirs: [other] })).toBe(path.join(input, 'missing.png'));
    // Relative paths that climb out of the folder are the CLI user's own business.
    expect(resolveInputPath('../other/c.png', { inputDir: input, allowAbsolutePaths: true })).toBe(abs);
  });
});

describe('createFileHasher', () => {
  it('hashes file content and reports a missing file as a user error', async () => {
    const hash = createFileHasher((ref) => resolveInputPath(ref, { inputDir: input }));
    expect(await hash('a.png')).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
    await expect(hash('missing.png')).rejects.toThrow(UserError);
  });
});

describe('file parameters of the loader nodes', () => {
  // Before: "No file chosen" and the '..' / absolute-path refusals carried no field, so the CLI printed
  // "image: ..." and the editor could not mark the widget.
  it.each([
    [LoadImage, 'image'],
    [LoadAudio, 'audio'],
    [LoadVideo, 'video'],
  ] as const)('%s ties a refused file name to its parameter', async (def, field) => {
    const host = await createTestHost();
    try {
      for (const name of ['', '../escape.png', '/etc/passwd']) {
        const err = await runNode(def as never, createTestCtx(host.services), {}, { [field]: name }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, name).toBeInstanceOf(UserError);
        expect((err as UserError).field, name).toBe(field);
      }
    } finally {
      await host.cleanup();
    }
  });
});
