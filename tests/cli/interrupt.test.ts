import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '@kinegraph/nodes';
import { kinegraph, writeJson } from './cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kinegraph-cli-int-'));
  // Ten seconds of ffmpeg's test pattern: upscaled 4x it takes a while to encode.
  execFileSync(ffmpegPath(), [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=24',
    '-t',
    '10',
    '-pix_fmt',
    'yuv420p',
    path.join(dir, 'clip.mp4'),
  ]);
  await writeJson(path.join(dir, 'upscale.json'), {
    format: 'kinegraph.workflow',
    version: 1,
    nodes: {
      load: { type: 'LoadVideo', params: { video: 'clip.mp4' } },
      up: { type: 'UpscaleVideo', params: { factor: '4' }, inputs: { video: ['load', 'video'] } },
      save: { type: 'SaveVideo', params: { filename_prefix: 'big' }, inputs: { video: ['up', 'video'] } },
    },
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kinegraph run, interrupted', () => {
  it('stops on Ctrl-C with exit 130, a run_interrupted event and no half-written file', async () => {
    let signalled = false;
    const started = Date.now();
    let signalledAt = 0;
    const r = await kinegraph(['run', 'upscale.json', '--out', 'out', '--json'], {
      cwd: dir,
      onStdout(text, child) {
        if (!signalled && /"type":"progress","[^\n]*"nodeId":"save"/.test(text)) {
          signalled = true;
          signalledAt = Date.now();
          child.kill('SIGINT');
        }
      },
    });
    expect(signalled).toBe(true);
    expect(r.code).toBe(130);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.some((e) => e.type === 'run_interrupted')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'cli_result', status: 'interrupted', files: [] });
    expect((await readdir(path.join(dir, 'out'))).filter((f) => !f.startsWith('temp'))).toEqual([]);
    // It stopped promptly, not after encoding the remaining frames.
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(signalledAt - started).toBeGreaterThan(0);
  });
});
