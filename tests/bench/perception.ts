/**
 * Perception bench (`npm run bench:perception`): per model at 720p input (1280x720), each in a fresh
 * process so loads are cold and memory is its own: load time, first call, warm call (median of 8), and
 * peak resident memory (the OS high-water mark) over the process's start. Then the default path
 * (person matte + faces + depth cue) warm, end to end, and what parallax-v2's encode runs (those and M-LSD's
 * line segments, concurrently: `v2-perception`); the salient matte (U²-Net-p) beside the person one. Warm calls also report their CPU time (all threads,
 * median): on a shared machine wall time mostly measures the other processes.
 *
 *   npm run bench:perception                       CPU here; WebGPU where a GPU is present (auto)
 *   npm run bench:perception -- --provider cpu     force a provider (auto | cpu | webgpu)
 *   npm run bench:perception -- --only salient-matte,u2netp-inference   only these cases
 *   npm run bench:perception -- --only refine-matte-720p,refine-matte-plant   RefineMatte (the plant at 500x333 with its trimap)
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createServices } from '@kinegraph/graph-core';
import { photoPath } from '../../packages/nodes/src/perception/detect-faces.photos.js';
import { createTestCtx, runNode } from '../../packages/nodes/src/test-support/ctx.js';
import { ImageValue } from '../../packages/nodes/src/values/image.js';

const args = process.argv.slice(2);
const childCase = args.includes('--child') ? args[args.indexOf('--child') + 1] : undefined;
const providerArg = args.includes('--provider') ? args[args.indexOf('--provider') + 1] : 'auto';

interface CaseResult {
  id: string;
  provider: string;
  loadMs?: number;
  firstMs: number;
  warmMs: number;
  warmMinMs: number;
  /** CPU time of the whole process (every thread) per warm call, median: steadier than wall time on a busy machine. */
  warmCpuMs: number;
  baselineMb: number;
  peakMb: number;
  note?: string;
}

/** A 1280x720 photo of a person (the footballer, scaled and cropped), or a generated scene without test photos. */
async function input720p(): Promise<{ image: ImageValue; source: string }> {
  const file = photoPath('people/messi5.jpg');
  if (existsSync(file)) {
    const { data, info } = await sharp(file)
      .removeAlpha()
      .resize(1280, 720, { fit: 'cover', kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      image: new ImageValue(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
      source: 'people/messi5.jpg scaled to 1280x720',
    };
  }
  const { corridorScene } = await import('../../packages/nodes/src/perception/depth/synthetic-scene.js');
  return { image: corridorScene(1280, 720).image, source: 'synthetic corridor 1280x720 (no test photos)' };
}

type Runner = {
  load?: () => Promise<{ provider: string; loadMs: number }>;
  /** Its own input instead of the 720p photo. */
  image?: () => Promise<ImageValue>;
  /** Untimed work on the input before the calls (e.g. the mask a refinement starts from). */
  prepare?: (image: ImageValue) => Promise<void>;
  run: (image: ImageValue) => Promise<unknown>;
  provider?: () => string;
};

async function runner(id: string): Promise<Runner> {
  const ctx = () => createTestCtx(createServices([]));
  if (id === 'blazeface-short' || id === 'blazeface-full') {
    const { detectFaces } = await import('../../packages/nodes/src/perception/faces/detect.js');
    const { blazeFaceModels } = await import('../../packages/nodes/src/perception/faces/blazeface-model.js');
    const v = id === 'blazeface-short' ? 'short' : 'full';
    return {
      load: async () => blazeFaceModels[v].get(),
      run: (image) => detectFaces(image, { model: v, threshold: 0.75, maxFaces: 32 }),
    };
  }
  if (id === 'detect-faces-node') {
    const { DetectFaces } = await import('../../packages/nodes/src/perception/detect-faces.js');
    return { run: (image) => runNode(DetectFaces, ctx(), { image }) };
  }
  if (id === 'fastdepth' || id === 'fastdepth-mirror') {
    const { EstimateDepth } = await import('../../packages/nodes/src/perception/estimate-depth.js');
    const { fastDepthModel } = await import('../../packages/nodes/src/perception/depth/fastdepth-model.js');
    return {
      load: async () => fastDepthModel.get(),
      run: (image) => runNode(EstimateDepth, ctx(), { image }, { flip_average: id === 'fastdepth-mirror' }),
    };
  }
  if (id === 'fastdepth-inference') {
    const { estimateDepth } = await import('../../packages/nodes/src/perception/depth/estimate.js');
    const { fastDepthModel } = await import('../../packages/nodes/src/perception/depth/fastdepth-model.js');
    let last = { inferenceMs: 0, upsampleMs: 0 };
    return {
      load: async () => fastDepthModel.get(),
      run: async (image) => (last = (await estimateDepth(image, { refine: true, flipAverage: false })).timings),
      provider: () => `inference ${last.inferenceMs.toFixed(1)} ms, upsample ${last.upsampleMs.toFixed(1)} ms (last run)`,
    };
  }
  if (id === 'u2netp-inference' || id === 'salient-matte') {
    const { u2netpModel } = await import('../../packages/nodes/src/perception/salient/u2netp-model.js');
    if (id === 'salient-matte') {
      const { SegmentSubject } = await import('../../packages/nodes/src/perception/segment-subject.js');
      return { load: async () => u2netpModel.get(), run: (image) => runNode(SegmentSubject, ctx(), { image }, { model: 'salient' }) };
    }
    // The 320² squeeze, normalisation and the network, without the full-resolution refinement.
    const { salientProbabilities } = await import('../../packages/nodes/src/perception/salient/salient-matte.js');
    return { load: async () => u2netpModel.get(), run: (image) => salientProbabilities(image) };
  }
  if (id === 'refine-matte-720p' || id === 'refine-matte-plant') {
    const { RefineMatte } = await import('../../packages/nodes/src/perception/matting/refine-matte.js');
    const { MaskValue } = await import('../../packages/nodes/src/values/mask.js');
    let mask: InstanceType<typeof MaskValue> | undefined;
    if (id === 'refine-matte-plant') {
      // opencv-doc's alphamat plant (500x333) with its own trimap.
      const { loadPhoto } = await import('../../packages/nodes/src/perception/detect-faces.photos.js');
      return {
        image: () => loadPhoto('matte/plant.jpg'),
        prepare: async () => {
          const { data, info } = await sharp(photoPath('matte/plant_trimap.png')).greyscale().raw().toBuffer({ resolveWithObject: true });
          mask = new MaskValue(
            info.width,
            info.height,
            Float32Array.from(data, (v) => v / 255),
          );
        },
        run: (image) => runNode(RefineMatte, ctx(), { image, mask: mask! }),
      };
    }
    // The person matte of the 720p photo refined in a 12 px band (SegmentSubject -> RefineMatte).
    const { SegmentSubject } = await import('../../packages/nodes/src/perception/segment-subject.js');
    return {
      prepare: async (image) => void ({ mask } = await runNode(SegmentSubject, ctx(), { image })),
      run: (image) => runNode(RefineMatte, ctx(), { image, mask: mask! }),
    };
  }
  if (id === 'mlsd-tiny-512' || id === 'detect-lines-node') {
    const { mlsdModels } = await import('../../packages/nodes/src/perception/lines/mlsd-model.js');
    if (id === 'detect-lines-node') {
      const { DetectLines } = await import('../../packages/nodes/src/perception/detect-lines.js');
      return { load: async () => mlsdModels.tiny_512.get(), run: (image) => runNode(DetectLines, ctx(), { image }) };
    }
    // As builtin/parallax-v2 calls it (analysis/perception.ts).
    const { detectLines } = await import('../../packages/nodes/src/perception/lines/detect.js');
    return {
      load: async () => mlsdModels.tiny_512.get(),
      run: (image) => detectLines(image, { model: 'tiny_512', threshold: 0.1, minLength: 0.06, maxLines: 128 }),
    };
  }
  if (id === 'v2-perception') {
    // Everything builtin/parallax-v2's encode asks of the models (person matte, faces, depth cue, line
    // segments, concurrently), as analysis/perception.ts runs it.
    const { perceive } = await import('../../packages/nodes/src/i2v/parallax/analysis/perception.js');
    const { tmpdir } = await import('node:os');
    return {
      run: (image) => perceive(image.data, image.width, image.height, { cacheDir: `${tmpdir()}/kinegraph-bench-perception`, q: 4 }),
    };
  }
  if (id === 'person-matte' || id === 'default-path') {
    const { SegmentSubject } = await import('../../packages/nodes/src/perception/segment-subject.js');
    if (id === 'person-matte') return { run: (image) => runNode(SegmentSubject, ctx(), { image }) };
    const { DetectFaces } = await import('../../packages/nodes/src/perception/detect-faces.js');
    const { EstimateDepth } = await import('../../packages/nodes/src/perception/estimate-depth.js');
    return {
      run: async (image) => {
        await runNode(SegmentSubject, ctx(), { image });
        await runNode(DetectFaces, ctx(), { image });
        await runNode(EstimateDepth, ctx(), { image });
      },
    };
  }
  throw new Error(`unknown case ${id}`);
}

async function child(id: string): Promise<void> {
  const r = await runner(id);
  const image = r.image ? await r.image() : (await input720p()).image;
  await r.prepare?.(image);
  const baselineMb = process.memoryUsage().rss / 2 ** 20;
  let loadMs: number | undefined;
  let provider = process.env.KINEGRAPH_ONNX_PROVIDER ?? 'auto';
  if (r.load) {
    const t = performance.now();
    const loaded = await r.load();
    loadMs = performance.now() - t;
    provider = loaded.provider;
  }
  let t = performance.now();
  await r.run(image);
  const firstMs = performance.now() - t;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 8; i++) {
    t = performance.now();
    const c = process.cpuUsage();
    await r.run(image);
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const { webgpuStatus } = await import('../../packages/nodes/src/onnx/execution-provider.js');
  if (!r.load) provider = webgpuStatus()?.ok ? 'webgpu' : 'cpu';
  const result: CaseResult = {
    id,
    provider,
    loadMs,
    firstMs,
    warmMs: (times[3] + times[4]) / 2,
    warmMinMs: times[0],
    warmCpuMs: (cpu[3] + cpu[4]) / 2,
    baselineMb,
    peakMb: process.resourceUsage().maxRSS / 1024,
    note: r.provider?.(),
  };
  process.send!(result);
}

async function main(): Promise<void> {
  const cases = ['blazeface-short', 'blazeface-full', 'detect-faces-node', 'fastdepth-inference', 'fastdepth', 'fastdepth-mirror'];
  const hasMatte = existsSync(fileURLToPath(new URL('../../packages/nodes/src/perception/segment-subject.ts', import.meta.url)));
  if (hasMatte)
    cases.push('person-matte', 'u2netp-inference', 'salient-matte', 'default-path', 'mlsd-tiny-512', 'detect-lines-node', 'v2-perception');
  const hasPlant = existsSync(photoPath('matte/plant_trimap.png'));
  if (hasMatte) cases.push('refine-matte-720p', ...(hasPlant ? ['refine-matte-plant'] : []));
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
  if (only) cases.splice(0, cases.length, ...cases.filter((c) => only.includes(c)));
  const { source } = await input720p();
  console.log(
    `perception bench: input ${source}; ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; provider ${providerArg}`,
  );
  const env = { ...process.env, ...(providerArg === 'auto' ? {} : { KINEGRAPH_ONNX_PROVIDER: providerArg }) };
  const rows: CaseResult[] = [];
  for (const id of cases) {
    const result = await new Promise<CaseResult>((resolve, reject) => {
      const p = fork(fileURLToPath(import.meta.url), ['--child', id], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let got: CaseResult | undefined;
      p.on('message', (m) => (got = m as CaseResult));
      p.on('exit', (code) => (got ? resolve(got) : reject(new Error(`${id}: child exited with ${code}`))));
    });
    rows.push(result);
    const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1));
    console.log(
      `${id.padEnd(20)} ${result.provider.padEnd(7)} load ${f(result.loadMs).padStart(7)} ms  first ${f(result.firstMs).padStart(7)} ms  warm ${f(result.warmMs).padStart(7)} ms (min ${f(result.warmMinMs)}, cpu ${f(result.warmCpuMs)})  peak RSS ${result.peakMb.toFixed(0)} MB (+${(result.peakMb - result.baselineMb).toFixed(0)} over ${result.baselineMb.toFixed(0)} before loading)${result.note ? '  ' + result.note : ''}`,
    );
  }
  if (!hasMatte) console.log('person matte: packages/nodes/src/perception/segment-subject.ts not present, skipped');
}

if (childCase) await child(childCase);
else await main();
