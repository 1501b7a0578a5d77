import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath, readEmbeddedWorkflow } from '@kinegraph/nodes';
import { kinegraph, resizeWorkflow, scratchWithPhoto, writeJson } from './cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await scratchWithPhoto();
  await mkdir(path.join(dir, 'flows'));
  // The image is named relative to the workflow's folder.
  await writeJson(path.join(dir, 'flows', 'resize.json'), resizeWorkflow('../photo.jpg'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kinegraph run', () => {
  it('runs LoadImage → ResizeImage → SaveImage on a real photo and prints the file it wrote', async () => {
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'out'], { cwd: dir });
    expect(r.stderr).toMatch(/done\s+save \(SaveImage\)/);
    // The log names the execution provider ONNX models will use on this machine (issue: the README promises it).
    expect(r.stderr).toMatch(/^Execution provider: (auto: (CPU \(no |WebGPU when)|CPU \(chosen\))/m);
    expect(r.code).toBe(0);
    const file = r.stdout.trim();
    expect(file).toBe(path.join(dir, 'out', 'small_00001.png'));
    const meta = await sharp(file).metadata();
    expect([meta.width, meta.height]).toEqual([160, 88]); // 90 rounded to a multiple of 8
    const embedded = (await readEmbeddedWorkflow(file)) as { nodes: Record<string, { params: Record<string, unknown> }> };
    expect(embedded.nodes.resize.params.width).toBe(160);
  });

  it('leaves only the files it wrote in --out (no empty temp folder after a video encode)', async () => {
    // A tiny real clip, re-encoded by LoadVideo → SaveVideo (the encoder works in <out>/temp).
    const made = spawnSync(ffmpegPath(), [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x48:rate=24',
      '-frames:v',
      '6',
      '-pix_fmt',
      'yuv420p',
      path.join(dir, 'clip.mp4'),
    ]);
    expect(made.status).toBe(0);
    await writeJson(path.join(dir, 'reencode.json'), {
      format: 'kinegraph.workflow',
      version: 1,
      nodes: {
        load: { type: 'LoadVideo', params: { video: 'clip.mp4' } },
        save: { type: 'SaveVideo', params: { filename_prefix: 'again' }, inputs: { video: ['load', 'video'] } },
      },
    });
    const r = await kinegraph(['run', 'reencode.json', '--out', 'clean-out'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(await readdir(path.join(dir, 'clean-out'))).toEqual(['again_00001.mp4']);
  });

  it('runs and extracts the workflow a written PNG carries', async () => {
    const again = await kinegraph(['run', 'out/small_00001.png', '--out', 'out-again'], { cwd: dir });
    expect(again.stderr).toMatch(/Running the workflow embedded in .*small_00001\.png/);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(path.join(dir, 'out-again', 'small_00001.png'));
    const extracted = await kinegraph(['extract', 'out/small_00001.png'], { cwd: dir });
    expect(extracted.code).toBe(0);
    expect(JSON.parse(extracted.stdout).nodes.resize.type).toBe('ResizeImage');
    const none = await kinegraph(['extract', 'photo.jpg'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/carries no Kinegraph workflow/);
  });

  it('applies --set values, validated like JSON values, and writes a new file', async () => {
    const r = await kinegraph(
      [
        'run',
        'flows/resize.json',
        '--out',
        'out',
        '--set',
        'resize.width=64',
        '--set',
        'resize.mode="pad"',
        '--set',
        'save.filename_prefix=custom',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const file = r.stdout.trim();
    expect(path.basename(file)).toBe('custom_00001.png');
    const meta = await sharp(file).metadata();
    expect([meta.width, meta.height]).toEqual([64, 88]);
    const embedded = (await readEmbeddedWorkflow(file)) as { nodes: Record<string, { params: Record<string, unknown> }> };
    expect(embedded.nodes.resize.params).toMatchObject({ width: 64, mode: 'pad' });
    expect((await readdir(path.join(dir, 'out'))).filter((f) => f.endsWith('.png')).sort()).toEqual([
      'custom_00001.png',
      'small_00001.png',
    ]);
  });

  it('refuses an invalid workflow with exit 1 and one nodeId.field line per problem', async () => {
    const r = await kinegraph(
      [
        'run',
        'flows/resize.json',
        '--out',
        'out',
        '--set',
        'resize.width=-3',
        '--set',
        'resize.mode=sideways',
        '--set',
        'resize.colour=1',
        '--set',
        'ghost.x=1',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/is not valid \(4 problems\)/);
    expect(lines.some((l) => l.startsWith('resize.width: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('resize.mode: '))).toBe(true);
    expect(lines.some((l) => /^resize\.colour: .*no parameter "colour"/.test(l))).toBe(true);
    expect(lines.some((l) => /^ghost: .*no node "ghost"/.test(l))).toBe(true);
  });

  it('prints engine events as JSON lines with --json', async () => {
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'out-json', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run_started');
    expect(types.filter((t) => t === 'node_started')).toHaveLength(3);
    expect(types.filter((t) => t === 'node_finished')).toHaveLength(3);
    expect(types.at(-2)).toBe('run_finished');
    expect(events.at(-1)).toMatchObject({
      type: 'cli_result',
      status: 'succeeded',
      files: [path.join(dir, 'out-json', 'small_00001.png')],
    });
    const resized = events.find((e) => e.type === 'node_finished' && e.nodeId === 'resize');
    expect(resized.outputs.image).toBe('IMAGE 160x88');
  });

  it('with --cache, a rerun after one change executes only the changed node and what it feeds', async () => {
    const args = ['run', 'flows/resize.json', '--out', 'out-cache', '--cache', 'cache', '--json'];
    const first = await kinegraph(args, { cwd: dir });
    expect(first.code).toBe(0);
    const second = await kinegraph([...args, '--set', 'resize.height=48'], { cwd: dir });
    expect(second.code).toBe(0);
    const events = second.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'node_cached').map((e) => e.nodeId)).toEqual(['load']);
    expect(events.find((e) => e.type === 'run_finished').executed).toEqual(['resize', 'save']);
    expect(events.at(-1).files).toEqual([path.join(dir, 'out-cache', 'small_00002.png')]);
  });

  it('--target runs only what the chosen node needs', async () => {
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'out-target', '--target', 'resize', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'run_finished').executed).toEqual(['load', 'resize']);
    expect(events.at(-1).files).toEqual([]);
  });

  it('says which --out folder it can not create, without a stack trace', async () => {
    await writeJson(path.join(dir, 'a-file'), {});
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'a-file/out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kinegraph: Can not use --out .*a-file[\/]out as the output folder: ENOTDIR/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says which --cache folder it can not use, without a stack trace', async () => {
    await writeJson(path.join(dir, 'not-a-folder'), {});
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'out', '--cache', 'not-a-folder/cache'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kinegraph: Can not use --cache .*not-a-folder[\/]cache as the cache folder: ENOTDIR/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a --force that names no node instead of silently forcing nothing', async () => {
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'out', '--force', 'resise'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/resise: Forced node "resise" is not a node of the workflow \(nodes: load, resize, save\)/);
  });

  it('with --json, an unreadable workflow file still answers with a validation_failed line', async () => {
    const r = await kinegraph(['run', 'flows/none.json', '--out', 'out', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      type: 'validation_failed',
      issues: [{ code: 'invalid_document', message: expect.stringMatching(/No workflow file at/) }],
    });
  });

  it('refuses a missing input file before running (exit 1, as validate reports it), naming the folders searched', async () => {
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'out-missing', '--set', 'load.image=missing.jpg'], { cwd: dir });
    expect(r.code).toBe(1);
    const line = r.stderr.split('\n').find((l) => l.startsWith('load.image: '));
    expect(line).toMatch(/File "missing\.jpg" not found \(looked in .*flows.*; --input-dir names another folder\)/);
    // Refused before anything ran: no output folder was made.
    expect(await readdir(dir)).not.toContain('out-missing');
  });

  it('exits 2 naming the node when a node fails', async () => {
    await writeFile(path.join(dir, 'not-a-photo.jpg'), 'these bytes are no image');
    const r = await kinegraph(['run', 'flows/resize.json', '--out', 'out', '--set', 'load.image=../not-a-photo.jpg'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/load.*not-a-photo\.jpg/);
  });
});
