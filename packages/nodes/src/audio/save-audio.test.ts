import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../ffmpeg/probe.js';
import { readEmbeddedWorkflow } from '../metadata/read-embedded-workflow.js';
import { createTestCtx, createTestHost, runNode, testWorkflow, type TestHost } from '../test-support/ctx.js';
import { AudioValue } from '../values/audio.js';
import { SaveAudio } from './save-audio.js';
import { Soundtrack } from './soundtrack.js';

let host: TestHost;
let audio: AudioValue;
beforeAll(async () => {
  host = await createTestHost();
  audio = (await runNode(Soundtrack, createTestCtx(host.services), {}, { duration: 2, seed: 5 })).audio;
});
afterAll(() => host.cleanup());

describe('SaveAudio', () => {
  it.each([
    ['flac', 'flac', 'audio/flac'],
    ['mp3', 'mp3', 'audio/mpeg'],
    ['opus', 'opus', 'audio/ogg'],
  ] as const)('writes %s with the workflow in its tags', async (format, codec, mime) => {
    const ctx = createTestCtx(host.services);
    await runNode(SaveAudio, ctx, { audio }, { format, filename_prefix: 'tone' });
    expect(ctx.uis[0]).toMatchObject({ kind: 'audio', folder: 'output', mime });
    const file = path.join(host.outputDir, ctx.uis[0].filename!);
    const info = await probe(file);
    expect(info.streams[0]).toMatchObject({ codec_name: codec, channels: 2 });
    expect(Number(info.format.duration)).toBeCloseTo(2, 1);
    expect(await readEmbeddedWorkflow(file)).toEqual(testWorkflow);
  });

  it('writes 16-bit WAV', async () => {
    const ctx = createTestCtx(host.services);
    await runNode(SaveAudio, ctx, { audio }, { format: 'wav', filename_prefix: 'tone' });
    expect(ctx.uis[0].filename).toBe('tone_00001.wav');
    const info = await probe(path.join(host.outputDir, ctx.uis[0].filename!));
    expect(info.streams[0]).toMatchObject({ codec_name: 'pcm_s16le', sample_rate: '48000' });
  });
});
