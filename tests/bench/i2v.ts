/**
 * The default photo-to-video workflow at 720p and 1080p (6 s, 24 fps): analysis time, render frames per
 * second, total wall time from photo to MP4 through the engine, peak memory (this process; ffmpeg's own is
 * on top), and, in the same run, ffmpeg alone encoding as many frames of the still photo at the same size
 * and settings. The ratio total / encode-only is the figure that counts (machines here are noisy).
 * Each figure is the median of `--reps` runs (default 3), the workflow and the baselines taken in turn.
 * Writes a contact sheet of one video's frames to out/bench-i2v-contact-sheet.png.
 *   npm run bench:i2v [-- --only 720p] [-- --reps 5]
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import sharp from 'sharp';
import { createServices, Engine } from '@kinegraph/graph-core';
import {
  createHostServices,
  createNodeRegistry,
  encodeVideo,
  ImageValue,
  VideoValue,
  parallaxBundle,
  parallaxV2Bundle,
} from '@kinegraph/nodes';
import { createTestCtx } from '../../packages/nodes/src/test-support/ctx.js';
import { rgbToI420 } from '../../packages/nodes/src/i2v/parallax/render/yuv.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKFLOW = path.join(ROOT, 'workflows/photo-to-video.json');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const reps = process.argv.includes('--reps') ? Math.max(1, Number(process.argv[process.argv.indexOf('--reps') + 1]) || 1) : 3;
if (only && only !== '720p' && only !== '1080p') throw new Error('--only takes 720p or 1080p');

const doc = JSON.parse(readFileSync(WORKFLOW, 'utf8'));
const photoFile = path.join(ROOT, 'workflows', doc.nodes.image.params.image);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
/** CPU seconds of this process and its finished children (ffmpeg), from /proc: steadier than wall time on a shared machine. */
function cpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After the command: state is field 3, so utime..cstime (fields 14..17) sit at indexes 11..14.
    return fields.slice(11, 15).reduce((a, b) => a + Number(b), 0) / 100;
  } catch {
    return NaN;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function photo(): Promise<ImageValue> {
  const { data, info } = await sharp(photoFile).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Stage timings straight through the model handles (no encoding). */
async function stages(resolution: '720p' | '1080p') {
  // The stages of the model the workflow names (builtin/parallax-v2 by default).
  const { vae, textEncoder, model } = doc.nodes.model.params.model === 'builtin/parallax-v1' ? parallaxBundle : parallaxV2Bundle;
  const ctx = createTestCtx(createServices([]));
  const img = await photo();
  const [w, h] = resolution === '720p' ? [1280, 720] : [1920, 1080];
  let t = performance.now();
  const latent = await vae.encode(ctx, img, { width: w, height: h, resizeMode: 'crop' });
  const analysis = performance.now() - t;
  const p = doc.nodes.denoise.params;
  t = performance.now();
  const videoLatent = await model.denoise(ctx, {
    image: latent,
    positive: await textEncoder.encode(ctx, doc.nodes.prompt.params.text),
    negative: await textEncoder.encode(ctx, doc.nodes.negative.params.text),
    frames: p.duration * p.fps,
    fps: p.fps,
    steps: p.steps,
    cfg: p.cfg,
    seed: p.seed,
    sampler: 'default',
    scheduler: 'default',
    motion: 0.5,
  });
  const denoise = performance.now() - t;
  const video = await vae.decode(ctx, videoLatent);
  // Frames as SaveVideo asks for them (I420); eight RGB frames for the contact sheet, untimed.
  t = performance.now();
  for (let i = 0; i < video.frameCount; i++) await video.source.i420At!(i);
  const render = performance.now() - t;
  const keep: Array<{ index: number; frame: Uint8Array }> = [];
  const every = Math.floor((video.frameCount - 1) / 7);
  for (let i = 0; i < video.frameCount && keep.length < 8; i += every) keep.push({ index: i, frame: await video.frameAt(i) });
  return {
    w,
    h,
    frames: video.frameCount,
    analysis,
    denoise,
    render,
    fps: (video.frameCount / render) * 1000,
    keep,
    timings: latent.meta.timings,
  };
}

/** The whole workflow through the engine, photo file to MP4 file. */
async function endToEnd(resolution: '720p' | '1080p', root: string, rep: number): Promise<number> {
  const dirs = {
    inputDir: path.join(root, 'in'),
    outputDir: path.join(root, `out-${resolution}-${rep}`),
    tempDir: path.join(root, 'tmp'),
    modelsDir: path.join(root, 'models'),
  };
  for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
  const services = createHostServices({ ...dirs, searchDirs: [path.dirname(WORKFLOW)] });
  const engine = new Engine({ registry: createNodeRegistry(), services, hashFile: (ref) => services.hashFile(ref) });
  const wf = structuredClone(doc);
  wf.nodes.encode.params.resolution = resolution;
  const t = performance.now();
  const result = await engine.run(wf);
  if (result.status !== 'succeeded') throw new Error(`run failed: ${result.error?.message}`);
  return performance.now() - t;
}

/**
 * ffmpeg alone: the same number of frames of the still photo, same size and settings as SaveVideo's, fed as RGB
 * frames (as any VIDEO of a photo is) or, with `i420`, already in the encoder's pixel format (as the parallax
 * model's frames are: the stricter comparison, since ffmpeg then has no conversion to do).
 */
async function encodeOnly(w: number, h: number, frames: number, fps: number, root: string, i420 = false): Promise<number> {
  const { data } = await sharp(photoFile).resize(w, h, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const still = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const stillI420 = rgbToI420(still, w, h);
  const video = new VideoValue({
    width: w,
    height: h,
    fps,
    frameCount: frames,
    frameAt: async () => still,
    ...(i420 ? { i420At: async () => stillI420 } : {}),
    byteSize: () => still.byteLength,
  });
  const t = performance.now();
  await encodeVideo({
    video,
    format: 'mp4',
    quality: doc.nodes.save.params.quality,
    outFile: path.join(root, `still-${w}.mp4`),
    tempDir: path.join(root, 'tmp'),
  });
  return performance.now() - t;
}

async function contactSheet(frames: Array<{ index: number; frame: Uint8Array }>, w: number, h: number, file: string) {
  const tw = 480;
  const th = Math.round((tw * h) / w);
  const label = (i: number) =>
    Buffer.from(
      `<svg width="${tw}" height="${th}"><text x="10" y="26" font-family="sans-serif" font-size="20" fill="white" stroke="black" stroke-width="0.8">frame ${i} · ${(i / 24).toFixed(2)} s</text></svg>`,
    );
  const tiles = await Promise.all(
    frames.map(({ index, frame }) =>
      sharp(frame, { raw: { width: w, height: h, channels: 3 } })
        .resize(tw, th)
        .composite([{ input: label(index) }])
        .png()
        .toBuffer(),
    ),
  );
  const cols = 2;
  const rows = Math.ceil(tiles.length / cols);
  await sharp({ create: { width: tw * cols, height: th * rows, channels: 3, background: '#000' } })
    .composite(tiles.map((input, i) => ({ input, left: (i % cols) * tw, top: Math.floor(i / cols) * th })))
    .png()
    .toFile(file);
}

if (!only) {
  // Each resolution in a fresh process, so peak memory is that run's alone.
  console.log(`bench:i2v  ${path.relative(ROOT, WORKFLOW)}, photo ${path.relative(ROOT, photoFile)}, 6 s at 24 fps`);
  for (const res of ['720p', '1080p']) {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--only', res, '--reps', String(reps)], {
      stdio: 'inherit',
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  clearInterval(sampler);
  process.exit(0);
}

const root = await mkdtemp(path.join(tmpdir(), 'kinegraph-bench-i2v-'));
try {
  for (const res of ['720p', '1080p'] as const) {
    if (only !== res) continue;
    // The whole workflow first, in a fresh process: its peak memory is the figure reported. Then, `reps` times
    // in turn, the workflow again (a new engine: nothing cached) and the two encode-only baselines, so that load
    // from other work on the machine weighs on both sides alike; medians are reported.
    peak = process.memoryUsage().rss;
    const runs: Array<{ total: number; totalCpu: number; enc: number; encCpu: number; encI420: number; encI420Cpu: number }> = [];
    let peakRun = 0;
    let st: Awaited<ReturnType<typeof stages>> | undefined;
    for (let r = 0; r < reps; r++) {
      let c = cpuSeconds();
      const total = await endToEnd(res, root, r);
      const totalCpu = cpuSeconds() - c;
      if (r === 0) {
        peakRun = peak;
        st = await stages(res);
      }
      c = cpuSeconds();
      const enc = await encodeOnly(st!.w, st!.h, st!.frames, 24, root);
      const encCpu = cpuSeconds() - c;
      c = cpuSeconds();
      const encI420 = await encodeOnly(st!.w, st!.h, st!.frames, 24, root, true);
      runs.push({ total, totalCpu, enc, encCpu, encI420, encI420Cpu: cpuSeconds() - c });
    }
    const m = (key: keyof (typeof runs)[number]) => median(runs.map((run) => run[key]));
    const [total, totalCpu, enc, encCpu, encI420, encI420Cpu] = (
      ['total', 'totalCpu', 'enc', 'encCpu', 'encI420', 'encI420Cpu'] as const
    ).map(m);
    // Ratios per run (each against the baseline taken right after it), then their median.
    const ratio = (a: keyof (typeof runs)[number], b: keyof (typeof runs)[number]) => median(runs.map((run) => run[a] / run[b])).toFixed(2);
    const each = runs.map((run) => (run.total / run.enc).toFixed(2)).join(', ');
    console.log(
      `${res} ${st!.w}x${st!.h} ${st!.frames} frames: analysis ${s(st!.analysis)} ${JSON.stringify(st!.timings)}, denoise ${s(st!.denoise)}, ` +
        `render ${st!.fps.toFixed(1)} frames/s (${(st!.render / st!.frames).toFixed(1)} ms/frame), total photo→MP4 ${s(total)}, ` +
        `encode-only ${s(enc)}, ratio ${ratio('total', 'enc')}x (runs: ${each}; the first in a fresh process), peak RSS of the workflow run ${mb(peakRun)} (+ ffmpeg)`,
    );
    console.log(
      `     CPU time (node + ffmpeg): photo→MP4 ${totalCpu.toFixed(2)} s, encode-only ${encCpu.toFixed(2)} s, ratio ${ratio('totalCpu', 'encCpu')}x`,
    );
    console.log(
      `     encode-only fed I420 (no conversion left to ffmpeg): ${s(encI420)}, ratio ${ratio('total', 'encI420')}x; CPU ${encI420Cpu.toFixed(2)} s, ratio ${ratio('totalCpu', 'encI420Cpu')}x`,
    );
    if (res === '720p') {
      await mkdir(path.join(ROOT, 'out'), { recursive: true });
      const file = path.join(ROOT, 'out/bench-i2v-contact-sheet.png');
      await contactSheet(st!.keep, st!.w, st!.h, file);
      console.log(`contact sheet: ${path.relative(ROOT, file)}`);
    }
  }
} finally {
  clearInterval(sampler);
  await rm(root, { recursive: true, force: true });
}
