/**
 * The longest event-loop stall while the default v2 model encodes a photo and denoises a long clip (a server
 * runs on the same thread: a stall is how long it cannot answer HTTP or take an interrupt). Also times how
 * long an abort takes to land once asked for, half-way through the denoise.
 *   npx tsx tests/i2v/tools/event-loop-stall.ts [--seconds 60] [--photo path] [--model v1|v2] [--prompt "..."] [--camera workflow|none]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import sharp from 'sharp';
import { AbortError, createServices } from '@kinegraph/graph-core';
import { encodeVideo, ImageValue, parallaxBundle, parallaxV2Bundle } from '@kinegraph/nodes';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { cameraFromSpec } from '../../../packages/nodes/src/i2v/parallax/camera/path.js';
import { createTestCtx } from '../../../packages/nodes/src/test-support/ctx.js';

const arg = (name: string, def: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : def);
const seconds = Number(arg('--seconds', '60'));
const photoFile = arg('--photo', path.resolve(import.meta.dirname, '../../../workflows/assets/evening-glow.jpg'));
const bundle = arg('--model', 'v2') === 'v1' ? parallaxBundle : parallaxV2Bundle;
/** --camera workflow: the default workflow's Camera Path (push in + truck left at 0.35), as the editor runs it. */
const camera =
  arg('--camera', 'workflow') === 'workflow'
    ? cameraFromSpec({
        moves: [
          { type: 'push_in', intensity: 0.35, easing: 'ease_in_out', start: 0, end: 1 },
          { type: 'truck_left', intensity: 0.35, easing: 'ease_in_out', start: 0, end: 1 },
        ],
        keyframes: [],
        shakeSeed: 1,
      })
    : undefined;
const prompt = arg('--prompt', 'the waves roll in softly, clouds drift to the left, slow push in, slow truck left');

/** STALL_LOG=1 logs stalls over 100 ms; STALL_LOG=N (N > 1) those over N ms. */
const logAbove = Number(process.env.STALL_LOG) > 1 ? Number(process.env.STALL_LOG) : 100;
/** The longest gap between 10 ms ticks, per phase (more direct than the histogram for one long stall). */
let last = performance.now();
let longest = 0;
const tick = setInterval(() => {
  const now = performance.now();
  if (process.env.STALL_LOG && now - last - 10 > logAbove)
    console.log(`  stall ${(now - last - 10).toFixed(0)} ms at ${(now / 1000).toFixed(2)} s`);
  longest = Math.max(longest, now - last - 10);
  last = now;
}, 10);
const hist = monitorEventLoopDelay({ resolution: 5 });
hist.enable();
const phase = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  await new Promise((r) => setTimeout(r, 30));
  longest = 0;
  hist.reset();
  const t = performance.now();
  const out = await f();
  await new Promise((r) => setTimeout(r, 30));
  console.log(
    `${name}: ${(performance.now() - t).toFixed(0)} ms, longest stall ${longest.toFixed(0)} ms (histogram max ${(hist.max / 1e6).toFixed(0)} ms, p99 ${(hist.percentile(99) / 1e6).toFixed(0)} ms)`,
  );
  return out;
};

const { data, info } = await sharp(photoFile).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const img = new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
const ctx = createTestCtx(createServices([]));
const { vae, textEncoder, model } = bundle;
// Twice: the first run also compiles the analysis code (once per process).
await phase('encode (first in this process)', () => vae.encode(ctx, img, { width: 1280, height: 720, resizeMode: 'crop' }));
const latent = await phase('encode', () => vae.encode(ctx, img, { width: 1280, height: 720, resizeMode: 'crop' }));
const positive = await textEncoder.encode(ctx, prompt);
const negative = await textEncoder.encode(ctx, 'shaky camera, fast zoom, flicker, distortion');
const request = {
  image: latent,
  positive,
  negative,
  frames: Math.round(seconds * 24),
  fps: 24,
  steps: 6,
  cfg: 1,
  seed: 42,
  sampler: 'default',
  scheduler: 'default',
  motion: 0.5,
  ...(camera ? { camera } : {}),
};
const videoLatent = await phase(`denoise ${seconds} s`, () => model.denoise(ctx, request));
// What SaveVideo does with it: every frame rendered and streamed into ffmpeg (H.264 MP4).
const video = await vae.decode(ctx, videoLatent);
const dir = await mkdtemp(path.join(tmpdir(), 'kg-stall-'));
await phase(`save ${seconds} s (render + ffmpeg)`, () =>
  encodeVideo({ video, format: 'mp4', quality: 80, outFile: path.join(dir, 'out.mp4'), tempDir: dir }),
);
await rm(dir, { recursive: true, force: true });
// An interrupt asked for 100 ms into a run: how long until denoise gives up (a stall delays the ask itself too).
const ctx2 = createTestCtx(createServices([]));
await phase('interrupted denoise', async () => {
  const t = performance.now();
  setTimeout(() => ctx2.controller.abort(), 100);
  try {
    await model.denoise(ctx2, request);
    console.log('  (not interrupted: finished)');
  } catch (e) {
    if (!(e instanceof AbortError) && (e as Error).name !== 'AbortError') throw e;
    console.log(`  interrupt landed ${(performance.now() - t - 100).toFixed(0)} ms after it was asked`);
  }
});
clearInterval(tick);
hist.disable();
