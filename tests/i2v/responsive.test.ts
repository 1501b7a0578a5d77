import { describe, expect, it } from 'vitest';
import { AbortError, createServices } from '@kinegraph/graph-core';
import { parallaxV2Bundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { sceneToLatent } from '../../packages/nodes/src/i2v/parallax/scene.js';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { parallaxBundle } from '../../packages/nodes/src/i2v/parallax/provider.js';
import { generatedPhoto } from './helpers/photos.js';
import { syntheticScene } from './helpers/synthetic-scene.js';

/**
 * A server runs workflows on its own thread: long synchronous stretches keep it from answering HTTP and from
 * taking an interrupt (issue: a 60 s v2 clip blocked it for ~22 s). These count turns of the event loop, not
 * time: the work must be split, whatever the machine's speed.
 */
const scene = syntheticScene({ width: 320, height: 192, bgDepth: 10, subjectDepth: 1.5 });
const latent = sceneToLatent(scene);

/** Counts event-loop turns (setImmediate callbacks) until stopped. */
function loopTurns() {
  let turns = 0;
  let on = true;
  const spin = () => {
    if (!on) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  return { stop: () => ((on = false), turns) };
}

async function request(ctx: ReturnType<typeof createTestCtx>, frames: number) {
  const { textEncoder } = parallaxV2Bundle;
  return {
    image: latent,
    positive: await textEncoder.encode(ctx, 'pan left, clouds drift'),
    frames,
    fps: 24,
    steps: 2,
    cfg: 1,
    seed: 3,
    sampler: 'default',
    scheduler: 'default',
    motion: 0.85,
  };
}

describe('builtin/parallax-v2 keeps the event loop turning', () => {
  it('a long clip is framed in chunks with turns of the event loop in between', async () => {
    const ctx = createTestCtx(createServices([]));
    const r = await request(ctx, 60 * 24);
    const turns = loopTurns();
    await parallaxV2Bundle.model.denoise(ctx, r);
    // Framing alone pauses at every chunk; the steps and set-up add more.
    expect(turns.stop()).toBeGreaterThan(6);
  });

  it('an interrupt lands during the framing, before the first step', async () => {
    const ctx = createTestCtx(createServices([]));
    const r = await request(ctx, 60 * 24);
    const run = parallaxV2Bundle.model.denoise(ctx, r);
    setImmediate(() => ctx.controller.abort());
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(ctx.progressLog).toHaveLength(0);
  });

  it('decoded frames are drawn one per turn of the event loop', async () => {
    const ctx = createTestCtx(createServices([]));
    const video = await parallaxV2Bundle.vae.decode(ctx, await parallaxV2Bundle.model.denoise(ctx, await request(ctx, 24)));
    const turns = loopTurns();
    // Asked for back to back, as an encoder in a burst of worker messages does: each still waits for a turn.
    for (let i = 0; i < video.frameCount; i++) await video.source.i420At!(i);
    expect(turns.stop()).toBeGreaterThanOrEqual(video.frameCount);
  });
});

describe('the photo analysis runs off the event loop', () => {
  it('the loop keeps turning while a 720p photo is analysed, and the latent is byte for byte the in-thread one', async () => {
    const photo = await generatedPhoto(1280, 720);
    const o = { width: 1280, height: 720, resizeMode: 'crop' as const };
    const ctx = createTestCtx(createServices([]));
    await parallaxBundle.vae.encode(ctx, photo, o); // the worker's start-up and first compile
    const turns = loopTurns();
    const off = await parallaxBundle.vae.encode(ctx, photo, o);
    // In-thread, the analysis stages pause 6 times; on the worker the loop turns freely (hundreds of turns).
    expect(turns.stop()).toBeGreaterThan(50);
    process.env.KINEGRAPH_ANALYSIS_WORKER = '0';
    try {
      const here = await parallaxBundle.vae.encode(ctx, photo, o);
      for (const name of Object.keys(here.tensors))
        expect(Buffer.from(off.tensors[name].data.buffer).equals(Buffer.from(here.tensors[name].data.buffer)), name).toBe(true);
      expect({ ...off.meta, timings: 0 }).toEqual({ ...here.meta, timings: 0 });
    } finally {
      delete process.env.KINEGRAPH_ANALYSIS_WORKER;
    }
  });

  it('an interrupt during the analysis lands at once', async () => {
    const photo = await generatedPhoto(1280, 720);
    const ctx = createTestCtx(createServices([]));
    const run = parallaxBundle.vae.encode(ctx, photo, { width: 1280, height: 720, resizeMode: 'crop' });
    setTimeout(() => ctx.controller.abort(), 20);
    await expect(run).rejects.toBeInstanceOf(AbortError);
  });
});
