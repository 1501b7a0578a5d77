/**
 * The save phase (render + ffmpeg) of one clip, encoded again and again with the frames rendered on the main
 * thread (0 render workers) and on worker threads, in turn, so both see the same machine load: per run the
 * longest event-loop stall, how many stalls passed 100 ms and 50 ms, and the wall time. On a shared machine
 * compare the two within a round, over several rounds.
 *   npx tsx tests/i2v/tools/save-stall-compare.ts [--seconds 20] [--rounds 3] [--workers 0,1] [--photo path]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createServices } from '@kinegraph/graph-core';
import { encodeVideo, ImageValue, parallaxV2Bundle } from '@kinegraph/nodes';
import { cameraFromSpec } from '../../../packages/nodes/src/i2v/parallax/camera/path.js';
import { createTestCtx } from '../../../packages/nodes/src/test-support/ctx.js';

const arg = (name: string, def: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : def);
const seconds = Number(arg('--seconds', '20'));
const rounds = Number(arg('--rounds', '3'));
const counts = arg('--workers', '0,1').split(',').map(Number);
const photoFile = arg('--photo', path.resolve(import.meta.dirname, '../../../workflows/assets/evening-glow.jpg'));

let last = performance.now();
let stalls: number[] = [];
const tick = setInterval(() => {
  const now = performance.now();
  stalls.push(now - last - 10);
  last = now;
}, 10);

const { data, info } = await sharp(photoFile).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const img = new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
const ctx = createTestCtx(createServices([]));
const { vae, textEncoder, model } = parallaxV2Bundle;
const latent = await vae.encode(ctx, img, { width: 1280, height: 720, resizeMode: 'crop' });
// The default workflow's clip: its Camera Path (push in + truck left at 0.35) and prompt.
const videoLatent = await model.denoise(ctx, {
  image: latent,
  positive: await textEncoder.encode(ctx, 'the waves roll in softly, clouds drift to the left, slow push in, slow truck left'),
  frames: Math.round(seconds * 24),
  fps: 24,
  steps: 6,
  cfg: 1,
  seed: 42,
  sampler: 'default',
  scheduler: 'default',
  motion: 0.5,
  camera: cameraFromSpec({
    moves: [
      { type: 'push_in', intensity: 0.35, easing: 'ease_in_out', start: 0, end: 1 },
      { type: 'truck_left', intensity: 0.35, easing: 'ease_in_out', start: 0, end: 1 },
    ],
    keyframes: [],
    shakeSeed: 1,
  }),
});
const dir = await mkdtemp(path.join(tmpdir(), 'kg-save-stall-'));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
for (let r = 0; r < rounds; r++) {
  for (const n of counts) {
    process.env.KINEGRAPH_RENDER_WORKERS = String(n);
    const video = await vae.decode(ctx, videoLatent);
    const load0 = loadavg();
    await new Promise((res) => setTimeout(res, 30));
    stalls = [];
    const t = performance.now();
    await encodeVideo({ video, format: 'mp4', quality: 80, outFile: path.join(dir, `out-${n}.mp4`), tempDir: dir });
    const wall = performance.now() - t;
    const sorted = [...stalls].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
    console.log(
      `round ${r + 1}, ${n} render worker(s): save ${(wall / 1000).toFixed(2)} s, longest stall ${Math.max(0, ...stalls).toFixed(0)} ms, ` +
        `stalls > 100 ms: ${stalls.filter((s) => s > 100).length}, > 50 ms: ${stalls.filter((s) => s > 50).length}, p99 ${p99.toFixed(0)} ms (load ${load0} -> ${loadavg()})`,
    );
  }
}
// Both ways give the same file.
const files = counts.map((n) => readFileSync(path.join(dir, `out-${n}.mp4`)));
console.log(`same bytes: ${files.every((f) => f.equals(files[0]))}`);
await rm(dir, { recursive: true, force: true });
clearInterval(tick);
