import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, UserError, validateWorkflow } from '@kinegraph/graph-core';
import { createNodeRegistry } from '../index.js';
import { checkPrefix, writeNewOutputFile } from './output-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kg-out-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('writeNewOutputFile', () => {
  it('numbers files after the highest existing one and never overwrites, even when saves race', async () => {
    await writeFile(path.join(dir, 'clip_00007.mp4'), 'old');
    const names = await Promise.all(
      Array.from({ length: 5 }, (_, i) => writeNewOutputFile(dir, 'clip', 'mp4', (p) => writeFile(p, `new ${i}`))),
    );
    expect([...names].sort()).toEqual(['clip_00008.mp4', 'clip_00009.mp4', 'clip_00010.mp4', 'clip_00011.mp4', 'clip_00012.mp4']);
    expect(await readFile(path.join(dir, 'clip_00007.mp4'), 'utf8')).toBe('old');
    const contents = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
    expect(new Set(contents).size).toBe(5);
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('leaves nothing behind when writing fails', async () => {
    await expect(writeNewOutputFile(dir, 'broken', 'mp4', async () => Promise.reject(new Error('encoder died')))).rejects.toThrow(
      'encoder died',
    );
    expect((await readdir(dir)).filter((f) => f.includes('broken') || f.includes('partial'))).toEqual([]);
  });

  it('accepts plain prefixes only', () => {
    expect(checkPrefix('  my clip-2 ')).toBe('my clip-2');
    expect(checkPrefix('vidéo')).toBe('vidéo');
    for (const bad of ['a/b', '..', 'x.y', '', 'a\\b', 'a\0']) expect(() => checkPrefix(bad), bad).toThrow(UserError);
  });
});

describe('save nodes check their filename prefix during validation', () => {
  // Before: a bad prefix passed `kinegraph validate` and failed the run only after every frame was rendered.
  it.each([
    ['SaveVideo', 'VIDEO'],
    ['SaveImage', 'IMAGE'],
    ['SaveAudio', 'AUDIO'],
  ])('%s reports a bad prefix as an invalid parameter of its field', (type) => {
    const registry = createNodeRegistry();
    const doc = (prefix: string) => ({
      format: 'kinegraph.workflow',
      version: 1,
      nodes: { save: { type, version: 1, params: { filename_prefix: prefix }, inputs: { [inputOf(type)]: ['missing', 'x'] } } },
    });
    for (const bad of ['../../evil', 'a/b', 'x.y', '']) {
      const issues = validateWorkflow(doc(bad), registry).issues.filter((i) => i.field === 'filename_prefix');
      expect(issues, bad).toEqual([
        expect.objectContaining({ code: ErrorCode.invalidParam, nodeId: 'save', message: expect.stringContaining('may only hold') }),
      ]);
    }
    const fine = validateWorkflow(doc('my clip-2'), registry).issues.filter((i) => i.field === 'filename_prefix');
    expect(fine).toEqual([]);
  });
});

function inputOf(type: string): string {
  return type === 'SaveVideo' ? 'video' : type === 'SaveImage' ? 'image' : 'audio';
}
