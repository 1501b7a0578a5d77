import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, Engine } from '@kinegraph/graph-core';
import { createHostServices, createNodeRegistry, ffmpegPath } from '@kinegraph/nodes';
import { parallaxBundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { ImageValue } from '../../packages/nodes/src/values/image.js';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';

const WORKFLOWS = path.resolve(import.meta.dirname, '../../workflows');

/**
 * builtin/parallax-v1 stays exactly as it was for old workflows. The hashes were recorded with the code before
 * builtin/parallax-v2 was added (commit 9589eb1): the default workflow of that time, pinned to v1, and three
 * prompt-driven clips through the model handles (prompt parsing, guidance with a negative prompt and cfg,
 * presets, margin framing, ambient motion, both frame formats).
 */
describe('builtin/parallax-v1 keeps its bytes', () => {
  let root: string;
  let outputDir: string;
  let engine: Engine;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kinegraph-v1-'));
    const dirs = {
      inputDir: path.join(root, 'input'),
      outputDir: path.join(root, 'output'),
      tempDir: path.join(root, 'temp'),
      modelsDir: path.join(root, 'models'),
    };
    await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
    outputDir = dirs.outputDir;
    const services = createHostServices({ ...dirs, searchDirs: [WORKFLOWS] });
    engine = new Engine({ registry: createNodeRegistry(), services, hashFile: (ref) => services.hashFile(ref) });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('the old default workflow (v1 named explicitly) gives the same H.264 stream', { timeout: 240_000 }, async () => {
    const doc = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/photo-to-video-v1.json'), 'utf8'));
    expect(doc.nodes.model.params.model).toBe('builtin/parallax-v1');
    const result = await engine.run(doc);
    expect(result.error).toBeUndefined();
    const [file] = (await readdir(outputDir)).filter((f) => f.endsWith('.mp4'));
    // The video stream, not the container: the MP4 also embeds the workflow with every node's params (new
    // optional params with their defaults change those bytes, not the video).
    const h264 = spawnSync(
      ffmpegPath(),
      ['-v', 'error', '-i', path.join(outputDir, file), '-map', '0:v', '-c', 'copy', '-f', 'h264', '-'],
      { maxBuffer: 64 << 20 },
    );
    expect(h264.status).toBe(0);
    expect(createHash('sha256').update(h264.stdout).digest('hex')).toBe('b2cda28c4e4064ffcbbf3aea1dba0d10f467cf158da00ab6368baea614caf2aa');
  });

  it('prompt-driven clips render the same frames', { timeout: 120_000 }, async () => {
    const { vae, textEncoder, model } = parallaxBundle;
    const { data, info } = await sharp(path.join(WORKFLOWS, 'assets/evening-glow.jpg'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const img = new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const ctx = createTestCtx(createServices([]));
    const latent = await vae.encode(ctx, img, { width: 512, height: 288, resizeMode: 'crop' });
    const cases = [
      {
        pos: '[Pan left, Zoom in] clouds drift left, waves roll in',
        neg: 'fast zoom, shaky camera',
        cfg: 3,
        seed: 5,
        motion: 0.5,
        sha: '87a3f1d102b3bd35738d0f0c2bc1a77e79a11ece388dffc5997288b253163275',
      },
      {
        pos: 'slow orbit right, handheld, wind in the grass, she breathes',
        neg: '',
        cfg: 1,
        seed: 9,
        motion: 0.85,
        sha: 'bc482c5ae3f0378512095687cdb36095c11fa84c9055ac4f59c1a22f5fed2381',
      },
      {
        pos: 'pull out, tilt up, crane down, rain falling',
        neg: 'blurry',
        cfg: 1.5,
        seed: 11,
        motion: 0.25,
        sha: '036f5cc5ad1e29612244627f525366b975ead8252e3069cb4c3a789acec2cbb8',
      },
    ];
    for (const c of cases) {
      const v = await model.denoise(ctx, {
        image: latent,
        positive: await textEncoder.encode(ctx, c.pos),
        negative: c.neg ? await textEncoder.encode(ctx, c.neg) : undefined,
        frames: 30,
        fps: 24,
        steps: 2,
        cfg: c.cfg,
        seed: c.seed,
        sampler: 'default',
        scheduler: 'default',
        motion: c.motion,
      });
      const video = await vae.decode(ctx, v);
      const h = createHash('sha256');
      for (let i = 0; i < video.frameCount; i++) {
        h.update(await video.source.frameAt(i));
        h.update(await video.source.i420At!(i));
      }
      expect(h.digest('hex'), c.pos).toBe(c.sha);
    }
  });
});
