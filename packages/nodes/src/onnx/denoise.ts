import { UserError, type NodeContext, type PreviewImage } from '@kinegraph/graph-core';
import * as ort from 'onnxruntime-node';
import type { DenoiseRequest, ModelInfo } from '../model/handles.js';
import { LatentValue } from '../values/latent.js';
import { float32Tensor } from '../values/tensor.js';
import { conditioningFeeds } from './conditioning.js';
import { familyStrategies } from './family-strategy.js';
import {
  dimsOf,
  latentFrames,
  layoutOf,
  pixelFrames,
  planeOffset,
  readFrame,
  shapeFromDims,
  sizeOf,
  writeFrame,
  type VideoLatentShape,
} from './latent-layout.js';
import { firstFrameReplacer, warpAlongPath } from './latent-start.js';
import type { OnnxModel } from './onnx-model.js';
import { latentPreview } from './preview.js';
import { familySamplers } from './sampling/families.js';
import { gaussian, NoiseStream } from './sampling/noise.js';
import { preconditioning } from './sampling/preconditioning.js';
import { samplers } from './sampling/samplers.js';
import { schedulers } from './sampling/schedulers.js';
import { fromHalfArray } from './fp16.js';
import { floatTensor, reusableTensor } from './tensors.js';
import type { OnnxTextEncoder } from './text-encoder.js';

/** At most this many previews a second (plus the last step's). */
const PREVIEW_INTERVAL_MS = 250;

/**
 * Denoise for ONNX models: builds the family's conditioning, runs the chosen sampler over the chosen
 * schedule with classifier-free guidance (cond and uncond batched into one call where the model's batch
 * axis is dynamic; cfg 1 skips uncond), reports progress with a preview every step, returns the LATENT.
 */
export async function denoiseVideo(
  model: OnnxModel,
  info: ModelInfo,
  textEncoder: OnnxTextEncoder,
  ctx: NodeContext,
  req: DenoiseRequest,
): Promise<LatentValue> {
  const m = model.manifest;
  const family = familyStrategies[m.family];
  const image = req.image.tensors.samples;
  if (req.image.family !== m.family || !image || image.shape.length !== 4) {
    throw new UserError(`This image LATENT was encoded by a ${req.image.family} model; encode it with ${info.title}'s VAE`, 'image');
  }
  if (typeof req.image.meta.model === 'string' && req.image.meta.model !== info.id) {
    ctx.warn(`The image was encoded with ${req.image.meta.model}'s VAE; ${info.id} may not understand its latent`, 'image');
  }
  const samplerName = req.sampler === 'default' || !req.sampler ? (m.defaults.sampler ?? familySamplers(m.family)[0]) : req.sampler;
  const schedulerName = req.scheduler === 'default' || !req.scheduler ? (m.defaults.scheduler ?? family.defaultScheduler) : req.scheduler;
  if (!familySamplers(m.family).includes(samplerName)) {
    throw new UserError(
      `Unknown sampler "${samplerName}" for ${m.family}; choose one of ${familySamplers(m.family).join(', ')}`,
      'sampler',
    );
  }
  const schedule = schedulers[schedulerName];
  if (!schedule)
    throw new UserError(`Unknown scheduler "${schedulerName}"; choose one of ${Object.keys(schedulers).join(', ')}`, 'scheduler');
  // A real model has a fixed frame budget (SVD: 14 or 25): clamp with a warning rather than fail the run.
  const asked = Math.min(m.frames.max, Math.max(m.frames.min, req.frames));
  const lf = Math.max(1, Math.min(latentFrames(m, m.frames.max), latentFrames(m, asked)));
  const frames = pixelFrames(m, lf);
  if (frames !== req.frames) {
    ctx.warn(
      `${info.title} makes ${m.frames.min} to ${m.frames.max} frames${m.latent.temporalCompression > 1 ? ` (1 + ${m.latent.temporalCompression}k)` : ''}: ${req.frames} became ${frames}`,
      'frames',
    );
  }

  const imageData = image.data as Float32Array;
  const C = m.latent.channels;
  const [h, w] = image.shape.slice(2);
  const shape: VideoLatentShape = { layout: layoutOf(m), frames: lf, channels: C, height: h, width: w };
  const n = sizeOf(shape);
  const plane = h * w;
  const frameSize = C * plane;
  // The conditioning image: frame 0 of the given latent ([C, h, w]); a video latent also works.
  const given = shapeFromDims(shape.layout, image.shape);
  const condFrame = new Float32Array(frameSize);
  if (given.channels !== C) throw new UserError(`The image LATENT has ${given.channels} channels; ${info.title} works with ${C}`, 'image');
  readFrame(given, imageData, 0, condFrame);

  const sampling = family.sampling(m);
  let sigmas = schedule(req.steps, sampling, { shift: m.flow.shift });

  // Starting point: noise, or (camera path on a model without camera input) the warped image and noise.
  const noise = gaussian(req.seed, NoiseStream.initial, n);
  const base = new Float32Array(n);
  const poses = req.camera?.poses(lf);
  const warped = !!poses && !m.conditioning.camera;
  if (warped) {
    const skip = Math.min(req.steps - 1, Math.round(m.conditioning.cameraWarpSkip * req.steps));
    sigmas = sigmas.slice(skip);
    warpAlongPath(shape, poses!, condFrame, noise, base);
  }
  const x = new Float32Array(n);
  const alpha0 = sampling.alpha(sigmas[0]);
  for (let k = 0; k < n; k++) x[k] = alpha0 * base[k] + sigmas[0] * noise[k];

  const guidance = family.guidance(m, req.cfg, lf);
  const useUncond = guidance.some((g) => g !== 1);
  const batched = useUncond && model.batchCfg && (await model.batchable('denoiser'));
  const floatType = await model.floatType('denoiser');

  const call = await conditioningFeeds(model, textEncoder, req, shape, condFrame, useUncond);
  const spec = m.components.denoiser;
  const inputChannels = family.inputChannels(C);
  const itemIn = lf * inputChannels * plane;
  const sampleIn = new Float32Array((batched ? 2 : 1) * itemIn);
  const working = new Float32Array(n);
  const guided = new Float32Array(n);
  const prediction = m.prediction;
  // First-frame conditioning: latent frame 0 is the image, re-noised to the current sigma.
  const replaceFirst = family.firstFrameIsImage;
  const renoiseFirstFrame = firstFrameReplacer(shape, condFrame, noise);

  const fillSample = (item: number, src: Float32Array, cIn: number, cond: boolean) =>
    family.fillSample(sampleIn, item * itemIn, src, cIn, cond ? call.concat : undefined, shape);

  // Feeds are built once per batch composition and refilled in place: no per-step allocation.
  const timestepIn = new Float32Array(2);
  const feedSets = new Map<
    string,
    { feeds: Record<string, ort.Tensor>; sync: Array<() => void>; fetches: Record<string, ort.Tensor>; read: () => Float32Array }
  >();
  const feedsFor = (items: Array<'cond' | 'uncond'>) => {
    const key = items.join();
    let set = feedSets.get(key);
    if (!set) {
      const B = items.length;
      const sample = reusableTensor(floatType, sampleIn.subarray(0, B * itemIn), [B, ...dimsOf({ ...shape, channels: inputChannels })]);
      const timestep = reusableTensor(floatType, timestepIn.subarray(0, B), [B]);
      const feeds: Record<string, ort.Tensor> = { [spec.inputs.sample]: sample.tensor, [spec.inputs.timestep]: timestep.tensor };
      for (const [name, perItem] of Object.entries(call.perItem)) {
        const parts = items.map((it) => perItem[it]);
        const data = new Float32Array(parts.reduce((a, p) => a + p.data.length, 0));
        let at = 0;
        for (const p of parts) (data.set(p.data, at), (at += p.data.length));
        feeds[name] = floatTensor(floatType, data, [B, ...parts[0].dims]);
      }
      // The prediction lands in a buffer made once (half floats are widened into another one).
      const outDims = [B, ...dimsOf(shape)];
      const prediction = new Float32Array(B * n);
      const half = floatType === 'float16' ? new Uint16Array(B * n) : undefined;
      const output = half ? new ort.Tensor('float16', half, outDims) : new ort.Tensor('float32', prediction, outDims);
      const read = half ? () => fromHalfArray(half, prediction) : () => prediction;
      set = { feeds, sync: [sample.sync, timestep.sync], fetches: { [spec.outputs.prediction]: output }, read };
      feedSets.set(key, set);
    }
    return set;
  };

  const runModel = async (items: Array<'cond' | 'uncond'>, cNoise: number): Promise<Float32Array> => {
    const { feeds, sync, fetches, read } = feedsFor(items);
    timestepIn.fill(cNoise);
    for (const s of sync) s();
    await model.run('denoiser', feeds, fetches);
    return read();
  };

  const denoise = async (xin: Float32Array, sigma: number, _step: number, out: Float32Array) => {
    ctx.throwIfAborted();
    const p = preconditioning(prediction, sigma, m.sigma.data, m.flow.timestepMultiplier);
    working.set(xin);
    if (replaceFirst) renoiseFirstFrame(working, sampling.alpha(sigma), sigma);
    let cond: Float32Array;
    let uncond: Float32Array | undefined;
    if (batched) {
      fillSample(0, working, p.cIn, false);
      fillSample(1, working, p.cIn, true);
      const both = await runModel(['uncond', 'cond'], p.cNoise);
      uncond = both.subarray(0, n);
      cond = both.subarray(n, 2 * n);
    } else {
      if (useUncond) {
        fillSample(0, working, p.cIn, false);
        uncond = await runModel(['uncond'], p.cNoise); // its own buffer: the cond call does not overwrite it
      }
      fillSample(0, working, p.cIn, true);
      cond = await runModel(['cond'], p.cNoise);
    }
    if (uncond) {
      for (let f = 0; f < lf; f++) {
        const g = guidance[f];
        for (let c = 0; c < C; c++) {
          const o = planeOffset(shape, f, c);
          for (let k = o; k < o + plane; k++) guided[k] = uncond[k] + g * (cond[k] - uncond[k]);
        }
      }
    } else {
      guided.set(cond);
    }
    for (let k = 0; k < n; k++) out[k] = p.cSkip * working[k] + p.cOut * guided[k];
    if (replaceFirst) writeFrame(shape, out, 0, condFrame);
  };

  // Previews are encoded off the sampling path: one started at step i goes out with step i + 1's progress
  // (the projection itself is synchronous, so the next step may overwrite `denoised` at once).
  let lastPreview = -Infinity;
  let inFlight: Promise<PreviewImage> | undefined;
  let ready: PreviewImage | undefined;
  await samplers[samplerName]({
    x,
    sigmas,
    sampling,
    seed: req.seed,
    denoise,
    afterStep: replaceFirst ? (xs, sigma) => renoiseFirstFrame(xs, sampling.alpha(sigma), sigma) : undefined,
    onStep: async (step, steps, denoised) => {
      if (step === steps - 1) {
        await inFlight?.catch(() => undefined);
        ctx.progress(step + 1, steps, await latentPreview(m, shape, denoised));
        return;
      }
      const preview = ready;
      ready = undefined;
      const now = performance.now();
      if (!inFlight && now - lastPreview >= PREVIEW_INTERVAL_MS) {
        lastPreview = now;
        inFlight = latentPreview(m, shape, denoised);
        inFlight.then(
          (p) => ((ready = p), (inFlight = undefined)),
          () => (inFlight = undefined),
        );
      }
      ctx.progress(step + 1, steps, preview);
    },
  });

  return new LatentValue(
    m.family,
    { samples: float32Tensor(dimsOf(shape), x) },
    {
      model: info.id,
      layout: shape.layout,
      width: w * m.latent.spatialCompression,
      height: h * m.latent.spatialCompression,
      frames,
      latentFrames: lf,
      fps: req.fps,
      seed: req.seed,
      sampler: samplerName,
      scheduler: schedulerName,
      steps: req.steps,
      cfg: req.cfg,
      camera: req.camera ? (m.conditioning.camera ? 'conditioning' : 'warp') : 'none',
    },
  );
}
