/**
 * Upscale bench (`npm run bench:upscale`): 1280x720 -> 2560x1440 with each built-in model that can do 2x,
 * each in a fresh process so loads are cold and memory is its own. Reports load time, seconds per frame
 * (wall and CPU time of all threads: on a shared machine the wall time mostly measures the other
 * processes), frames per second, the time a 6 s clip at 24 fps (144 frames) would take, and peak resident
 * memory. slim and medium run real frames through the Upscale node (the VIDEO path: frames streamed to the
 * disk file); thick and gans, minutes per frame on a CPU, run a few tiles of a frame's tile plan and are
 * extrapolated to the frame (said in the output).
 *
 *   npm run bench:upscale                          CPU here; WebGPU where a GPU is present (auto)
 *   npm run bench:upscale -- --provider cpu        force a provider (auto | cpu | webgpu)
 *   npm run bench:upscale -- --frames 6            frames per model for slim and medium (default 3)
 *   npm run bench:upscale -- --models slim-x2      only these models (comma-separated)
 *   npm run bench:upscale -- --psnr                also PSNR of every 2x model vs Lanczos on the test photos
 *   npm run bench:upscale -- --psnr-only           only that (of the --models chosen)
 *   npm run bench:upscale -- --tile 640            tile size for the node runs (default 384, the node's default)
 *   npm run bench:upscale -- --calibrate slim-x2-int8   calibrate that int8 model's activation ranges on its
 *                                                   photos and print the table for upscale/quantized-models.ts
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createServices } from '@kinegraph/graph-core';
import { modelCacheDir } from '../../packages/nodes/src/perception/converter/model-cache.js';
import { LANDSCAPES, photoPath, PORTRAITS } from '../../packages/nodes/src/perception/detect-faces.photos.js';
import { createTestCtx, runNode } from '../../packages/nodes/src/test-support/ctx.js';
import { readFile } from 'node:fs/promises';
import { calibrateRanges } from '../../packages/nodes/src/perception/converter/calibrate.js';
import { convertedModelFile } from '../../packages/nodes/src/perception/converter/converted-model.js';
import { builtinModelJson, builtinUpscaleSpec } from '../../packages/nodes/src/upscale/builtin-models.js';
import { openUpscaleModel } from '../../packages/nodes/src/upscale/open-model.js';
import { quantizedUpscaleSpec } from '../../packages/nodes/src/upscale/quantized-models.js';
import { overlapForContext, extractTile, planAxis } from '../../packages/nodes/src/upscale/tiling.js';
import { Upscale } from '../../packages/nodes/src/upscale/upscale.js';
import { tilesPerFrame } from '../../packages/nodes/src/upscale/upscale-frame.js';
import { ImageValue } from '../../packages/nodes/src/values/image.js';
import { videoFromFrames, type VideoValue } from '../../packages/nodes/src/values/video.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const childCase = arg('--child');
const providerArg = (arg('--provider') ?? 'auto') as 'auto' | 'cpu' | 'webgpu';
const framesArg = Number(arg('--frames') ?? 3);
const tileArg = Number(arg('--tile') ?? 384);
const MODELS = ['slim-x2-int8', 'slim-x2', 'medium-x2', 'thick-x2', 'gans-x4'];
const W = 1280;
const H = 720;
const CLIP = 144;

interface CaseResult {
  id: string;
  provider: string;
  loadMs: number;
  how: string;
  wallPerFrame: number;
  cpuPerFrame: number;
  rssPerFrameMb: number[];
  peakMb: number;
}

async function frame720p(shift = 0): Promise<Uint8Array> {
  const file = photoPath('people/messi5.jpg');
  const img = existsSync(file) ? sharp(file) : sharp({ create: { width: 1400, height: 800, channels: 3, background: '#406080' } });
  const { data } = await img
    .removeAlpha()
    .resize(W + 16, H, { fit: 'cover', kernel: 'lanczos3' })
    .extract({ left: shift, top: 0, width: W, height: H })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

async function child(id: string): Promise<void> {
  const services = createServices([]);
  const t0 = performance.now();
  const model = await openUpscaleModel(id, { cacheDir: modelCacheDir(services), provider: providerArg });
  const loadMs = performance.now() - t0;
  const overlap = overlapForContext(model.info.context);
  const tile = tileArg;
  const slow = id.startsWith('thick') || id.startsWith('gans');
  const rss: number[] = [];
  let wallPerFrame: number;
  let cpuPerFrame: number;
  let how: string;
  if (!slow) {
    const n = framesArg;
    const frames = await Promise.all(Array.from({ length: n }, (_, i) => frame720p(i % 16)));
    const src: VideoValue = videoFromFrames(W, H, 24, frames);
    const ctx = createTestCtx(services);
    const origProgress = ctx.progress.bind(ctx);
    ctx.progress = (v, m, p) => {
      if (m === n && v > 0) rss.push(process.memoryUsage().rss / 2 ** 20);
      origProgress(v, m, p);
    };
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await runNode(Upscale, ctx, { video: src, upscale_model: model }, { factor: '2', tile });
    const wall = (performance.now() - w0) / 1000;
    const cpu = process.cpuUsage(c0);
    wallPerFrame = wall / n;
    cpuPerFrame = (cpu.user + cpu.system) / 1e6 / n;
    how = `${n} frames through the Upscale node (tile ${tile}, overlap ${overlap})`;
  } else {
    // A few tiles of the frame's own plan, timed, then scaled to the frame's tile count.
    const frame = await frame720p();
    const px = planAxis(W, tile, overlap);
    const py = planAxis(H, tile, overlap);
    const perFrame = tilesPerFrame(model, W, H, { tile, overlap });
    const k = 2;
    const buf = new Float32Array(px.length * py.length * 3);
    await model.run(extractTile(frame, W, H, px.starts[0], py.starts[0], 64, 64, new Float32Array(64 * 64 * 3)), 64, 64); // warm-up
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < k; i++) {
      await model.run(
        extractTile(frame, W, H, px.starts[i % px.starts.length], py.starts[0], px.length, py.length, buf),
        px.length,
        py.length,
      );
      rss.push(process.memoryUsage().rss / 2 ** 20);
    }
    const wall = (performance.now() - w0) / 1000;
    const cpu = process.cpuUsage(c0);
    wallPerFrame = (wall / k) * perFrame;
    cpuPerFrame = ((cpu.user + cpu.system) / 1e6 / k) * perFrame;
    how = `${k} of the frame's ${perFrame} tiles of ${px.length}x${py.length} (overlap ${overlap}), extrapolated`;
  }
  process.send!({
    id,
    provider: model.provider,
    loadMs,
    how,
    wallPerFrame,
    cpuPerFrame,
    rssPerFrameMb: rss,
    peakMb: process.resourceUsage().maxRSS / 1024,
  } satisfies CaseResult);
}

function psnr(a: Uint8Array, b: Uint8Array, w: number, h: number, border = 4): number {
  let e = 0;
  let n = 0;
  for (let y = border; y < h - border; y++)
    for (let x = border; x < w - border; x++)
      for (let c = 0; c < 3; c++) {
        const d = a[(y * w + x) * 3 + c] - b[(y * w + x) * 3 + c];
        e += d * d;
        n++;
      }
  return 10 * Math.log10((255 * 255) / (e / n));
}

/** Each test photo scaled to 512 wide, its centre 256x256 downscaled 2x (bicubic) and brought back 2x. */
async function psnrReport(models: string[]): Promise<void> {
  const photos = [...LANDSCAPES, ...Object.values(PORTRAITS), 'people/baboon.jpg'].filter((p) => existsSync(photoPath(p)));
  if (photos.length === 0) return console.log('psnr: no test photos (bash ../shared/testdata/fetch-photos.sh .testdata/photos)');
  const services = createServices([]);
  const S = 128;
  const rows: Record<string, number[]> = { lanczos: [] };
  const run = async (model: string | undefined, image: ImageValue) => {
    const inputs = model
      ? { image, upscale_model: await openUpscaleModel(model, { cacheDir: modelCacheDir(services), provider: providerArg }) }
      : { image };
    return (
      (await runNode(Upscale, createTestCtx(services), inputs, { method: model ? 'model' : 'lanczos', factor: '2' })).image as ImageValue
    ).data;
  };
  for (const photo of photos) {
    const meta = await sharp(photoPath(photo)).resize(512).toBuffer({ resolveWithObject: true });
    const h = meta.info.height;
    const orig = new Uint8Array(
      await sharp(photoPath(photo))
        .removeAlpha()
        .toColourspace('srgb')
        .resize(512)
        .extract({ left: 128, top: Math.max(0, Math.floor(h / 2) - S), width: 2 * S, height: 2 * S })
        .raw()
        .toBuffer(),
    );
    const small = new Uint8Array(
      await sharp(orig, { raw: { width: 2 * S, height: 2 * S, channels: 3 } })
        .resize(S, S, { kernel: 'cubic' })
        .raw()
        .toBuffer(),
    );
    const lr = new ImageValue(S, S, small);
    rows.lanczos.push(psnr(await run(undefined, lr), orig, 2 * S, 2 * S));
    const outs = new Map<string, Uint8Array>();
    for (const id of models) outs.set(id, await run(id, lr));
    for (const id of models) (rows[id] ??= []).push(psnr(outs.get(id)!, orig, 2 * S, 2 * S));
    // An int8 model against its fp32 original: how much the rounding changed.
    for (const id of models) {
      const base = quantizedUpscaleSpec(id)?.base;
      if (base && outs.has(base)) (rows[`${id} vs ${base}`] ??= []).push(psnr(outs.get(id)!, outs.get(base)!, 2 * S, 2 * S));
    }
    console.log(
      `${photo.padEnd(26)} ${Object.entries(rows)
        .map(([k, v]) => `${k} ${v.at(-1)!.toFixed(2)}`)
        .join('  ')}`,
    );
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(
    `${'mean'.padEnd(26)} ${Object.entries(rows)
      .map(([k, v]) => `${k} ${mean(v).toFixed(2)}`)
      .join('  ')}   (dB, RGB, 4 px border left out; ${photos.length} photos)`,
  );
}

async function main(): Promise<void> {
  console.log(
    `upscale bench: ${W}x${H} -> ${2 * W}x${2 * H}; ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; provider ${providerArg}`,
  );
  const env = { ...process.env, ...(providerArg === 'auto' ? {} : { KINEGRAPH_ONNX_PROVIDER: providerArg }) };
  const chosen = arg('--models')?.split(',') ?? MODELS;
  const calibrate = arg('--calibrate');
  if (calibrate) return calibrationReport(calibrate);
  for (const id of args.includes('--psnr-only') ? [] : chosen) {
    const r = await new Promise<CaseResult>((resolve, reject) => {
      const p = fork(
        fileURLToPath(import.meta.url),
        ['--child', id, '--frames', String(framesArg), '--provider', providerArg, '--tile', String(tileArg)],
        { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      let got: CaseResult | undefined;
      p.on('message', (m) => (got = m as CaseResult));
      p.on('exit', (code) => (got ? resolve(got) : reject(new Error(`${id}: child exited with ${code}`))));
    });
    const idle = r.cpuPerFrame / Math.min(2, cpus().length);
    console.log(
      `${r.id.padEnd(10)} ${r.provider.padEnd(6)} load ${(r.loadMs / 1000).toFixed(1).padStart(5)} s  ${r.wallPerFrame.toFixed(1).padStart(7)} s/frame wall (${(1 / r.wallPerFrame).toFixed(3)} fps), cpu ${r.cpuPerFrame.toFixed(1)} s/frame` +
        `  6 s clip: ${((CLIP * r.wallPerFrame) / 60).toFixed(1)} min wall, ${((CLIP * idle) / 60).toFixed(1)} min at 2 idle cores (cpu/2)` +
        `  peak RSS ${r.peakMb.toFixed(0)} MB (after each frame/tile: ${r.rssPerFrameMb.map((m) => m.toFixed(0)).join(', ')})  [${r.how}]`,
    );
  }
  if (args.includes('--psnr') || args.includes('--psnr-only')) await psnrReport(chosen);
}

/** Ranges of an int8 model's activations over its calibration photos, printed as the table quantized-models.ts keeps. */
async function calibrationReport(id: string): Promise<void> {
  const q = quantizedUpscaleSpec(id);
  if (!q) throw new Error(`${id} is not an int8 built-in model`);
  const spec = builtinUpscaleSpec(q.base)!;
  const fp32 = await convertedModelFile(builtinModelJson(spec), spec.id, modelCacheDir(createServices([])), spec.sha256);
  const pictures = await Promise.all(
    q.calibration.map(async (name) => {
      const { data, info } = await sharp(photoPath(name))
        .removeAlpha()
        .toColourspace('srgb')
        .resize(200)
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data: Float32Array.from(data, (v) => (v * spec.range) / 255), width: info.width, height: info.height };
    }),
  );
  const ranges = await calibrateRanges(await readFile(fp32.file), pictures, q.options);
  const f = (v: number) => Number(v.toPrecision(6));
  console.log(`ranges for ${id} (calibrated on ${q.calibration.join(', ')} at 200 px wide):`);
  console.log(
    `{ ${Object.entries(ranges)
      .map(([k, [lo, hi]]) => `'${k}': [${f(lo)}, ${f(hi)}]`)
      .join(', ')} }`,
  );
}

if (childCase) await child(childCase);
else await main();
