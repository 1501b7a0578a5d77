import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, readEmbeddedWorkflow } from '@kinegraph/nodes';
import { kinegraph, repoRoot, resizeWorkflow, writeJson } from './cli-harness.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-sweep-'));
  await mkdir(path.join(dir, 'photos'));
  // Two generated photos of different sizes and colours, and a file the pattern must not match.
  await sharp({ create: { width: 320, height: 200, channels: 3, background: '#aa3322' } })
    .jpeg()
    .toFile(path.join(dir, 'photos', 'b.jpg'));
  await sharp({ create: { width: 200, height: 320, channels: 3, background: '#2233aa' } })
    .jpeg()
    .toFile(path.join(dir, 'photos', 'a.jpg'));
  await writeFile(path.join(dir, 'photos', 'notes.txt'), 'not a photo');
  await writeJson(path.join(dir, 'resize.json'), resizeWorkflow('unused.jpg', 64, 48));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Line = { type: string; [k: string]: any };
const lines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('kinegraph run --sweep / --each', () => {
  it('sweeps the default workflow: one file per seed, distinct names, EncodeImage run once and cached for the second', async () => {
    const wf = path.join(repoRoot, 'workflows/photo-to-video.json');
    const r = await kinegraph(
      [
        'run',
        wf,
        '--sweep',
        'denoise.seed=1..2',
        '--set',
        'denoise.duration=1',
        '--out',
        'out-seed',
        '--grid',
        'out-seed/grid.png',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const events = lines(r.stdout);
    const results = events.filter((e) => e.type === 'cli_result');
    expect(results.map((e) => e.variant)).toEqual([
      { index: 0, params: { 'denoise.seed': 1 } },
      { index: 1, params: { 'denoise.seed': 2 } },
    ]);
    const files = results.flatMap((e) => e.files as string[]);
    expect(files.map((f) => path.basename(f))).toEqual(['photo-to-video_seed-1_00001.mp4', 'photo-to-video_seed-2_00001.mp4']);
    expect((await readdir(path.join(dir, 'out-seed'))).sort()).toEqual([
      'grid.mp4',
      'grid.png',
      'photo-to-video_seed-1_00001.mp4',
      'photo-to-video_seed-2_00001.mp4',
    ]);
    expect(events.at(-1)).toEqual({
      type: 'grid_written',
      files: [path.join(dir, 'out-seed/grid.png'), path.join(dir, 'out-seed/grid.mp4')],
    });
    // One seed a row, three frames across; the grid video plays both in sync for the clip's 24 frames.
    const grid = await sharp(path.join(dir, 'out-seed/grid.png')).metadata();
    expect(grid.width).toBeGreaterThan(3 * 256);
    expect(grid.height).toBeGreaterThan(2 * 144);
    const probed = await probe(path.join(dir, 'out-seed/grid.mp4'));
    const track = probed.streams.find((s) => s.codec_type === 'video');
    expect(Number(track?.nb_frames)).toBe(24);
    const encode = (type: string) => events.filter((e) => e.type === type && e.nodeId === 'encode').length;
    expect(encode('node_finished')).toBe(1);
    expect(encode('node_cached')).toBe(1);
    expect(events.filter((e) => e.type === 'variant_started').map((e) => e.label)).toEqual(['seed=1', 'seed=2']);
    const embedded = (await readEmbeddedWorkflow(files[1])) as {
      meta: { variant: unknown };
      nodes: Record<string, { params: Record<string, unknown> }>;
    };
    expect(embedded.meta.variant).toEqual({ 'denoise.seed': 2 });
    expect(embedded.nodes.denoise.params.seed).toBe(2);
  });

  it('--each runs once per matching file (sorted, glob expanded by the program) and --grid lays them out', async () => {
    const r = await kinegraph(
      [
        'run',
        'resize.json',
        '--each',
        'load.image=photos/*.jpg',
        '--sweep',
        'resize.width=32,64',
        '--out',
        'out-each',
        '--grid',
        'out-each/grid.png',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((f) => path.basename(f));
    expect(out).toEqual([
      'small_image-a_width-32_00001.png',
      'small_image-a_width-64_00001.png',
      'small_image-b_width-32_00001.png',
      'small_image-b_width-64_00001.png',
      'grid.png',
    ]);
    expect(r.stderr).toMatch(/Variant 1\/4: image=a, width=32/);
    // Each photo is loaded once: the second width reuses it.
    expect(r.stderr.match(/cached\s+load \(LoadImage\)/g)).toHaveLength(2);
    const meta = await sharp(path.join(dir, 'out-each', 'grid.png')).metadata();
    // Two rows (a, b) by two columns (width=32, width=64), one frame each: 64x48 cells at a 256-px thumbnail.
    expect(meta.width).toBeGreaterThan(2 * 256);
    expect(meta.height).toBeGreaterThan(2 * 192);
    expect((meta.width! % 2) + (meta.height! % 2)).toBe(0);
  });

  it('refuses what it can not expand, with a clear message and nothing run', async () => {
    const none = await kinegraph(['run', 'resize.json', '--each', 'load.image=photos/*.png', '--out', 'out-none'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--each "load\.image=photos\/\*\.png": no file matches .*photos\/\*\.png/);
    const bad = await kinegraph(['run', 'resize.json', '--sweep', 'resize.width=1.5..3'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/a range is two whole numbers/);
    const grid = await kinegraph(['run', 'resize.json', '--sweep', 'resize.width=32,48', '--grid', 'grid.jpg', '--out', 'out-grid'], {
      cwd: dir,
    });
    expect(grid.code).toBe(1);
    expect(grid.stderr).toMatch(/--grid grid\.jpg: name a \.png file/);
    expect(await readdir(dir)).not.toContain('out-grid');
    const list = await kinegraph(['run', 'resize.json', '--sweep', 'resize.width=@missing.txt'], { cwd: dir });
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/--sweep @missing\.txt: can not read .*missing\.txt \(ENOENT\)/);
    // The third variant is invalid: refused before the first runs.
    const third = await kinegraph(
      ['run', 'resize.json', '--each', 'load.image=photos/a.jpg', '--sweep', 'resize.width=32,48,-1', '--out', 'out-bad'],
      { cwd: dir },
    );
    expect(third.code).toBe(1);
    expect(third.stderr).toMatch(/with image=a, width=-1 is not valid/);
    expect(await readdir(dir)).not.toContain('out-bad');
  });

  it('reads @lists and zips', async () => {
    await writeFile(path.join(dir, 'widths.txt'), '# widths\n40\n56\n');
    const r = await kinegraph(
      [
        'run',
        'resize.json',
        '--each',
        'load.image=photos/*.jpg',
        '--sweep',
        'resize.width=@widths.txt',
        '--zip',
        '--out',
        'out-zip',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const results = lines(r.stdout).filter((e) => e.type === 'cli_result');
    expect(results.map((e) => e.variant.params)).toEqual([
      { 'load.image': path.join(dir, 'photos/a.jpg'), 'resize.width': 40 },
      { 'load.image': path.join(dir, 'photos/b.jpg'), 'resize.width': 56 },
    ]);
    const sizes = [];
    for (const e of results) sizes.push((await sharp(e.files[0]).metadata()).width);
    expect(sizes).toEqual([40, 56]);
  });
});
