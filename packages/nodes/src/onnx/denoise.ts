import { UserError, type NodeContext, type PreviewImage } from '@kinegraph/graph-core';
import type * as ort from 'onnxruntime-node';
import type { DenoiseRequest, ModelInfo } from '../model/handles.js';
import { LatentValue } from '../values/latent.js';
import { float32Tensor } from '../values/tensor.js';
import { cameraConditioning, warpMap, warpPlanes } from './camera.js';
import { dimsOf, latentFrames, layoutOf, pixelFrames, readFrame, sizeOf, writeFrame, type VideoLatentShape } from './latent-layout.js';
import type { OnnxModel } from './onnx-model.js';
import { latentPreview } from './preview.js';
import { familySamplers } from './sampling/families.js';
import { edmSampling, flowSampling, type ModelSampling } from './sampling/model-sampling.js';
import { gaussian, NoiseStream } from './sampling/noise.js';
import { preconditioning } from './sampling/preconditioning.js';
import { samplers } from './sampling/samplers.js';
import { schedulers } from './sampling/schedulers.js';
import { floatTensor, readFloat, reusableTensor } from './tensors.js';
import type { OnnxTextEncoder } from './text-encoder.js';

/** At most this many previews a second (plus the last step's). */
const PREVIEW_INTERVAL_MS = 250;

/**
 * Denoise for ONNX models: builds the family's conditioning, runs the chosen sampler over the chosen
 * schedule with classifier-free guidance (cond and uncond batched into one call where the model's batch
 * axis is dynamic; cfg 1 skips uncond), reports progress with a preview every step, returns the LATENT.
 */
export async function denoiseVideo(model: OnnxModel, info: ModelInfo, textEncoder: OnnxTextEncoder, ctx: NodeContext, req: DenoiseRequest): Promise<LatentValue> {
  const m = model.manifest;
  const edm = m.family === 'edm-video';
  const image = req.image.tensors.samples;
  if (req.image.family !== m.family || !image || image.shape.length !== 4) {
    throw new UserError(`This image LATENT was encoded by a ${req.image.family} model; encode it with ${info.title}'s VAE`, 'image');
  }
  const samplerName = req.sampler === 'default' || !req.sampler ? (m.defaults.sampler ?? familySamplers(m.family)[0]) : req.sampler;
  const schedulerName = req.scheduler === 'default' || !req.scheduler ? (m.defaults.scheduler ?? (edm ? 'karras' : 'flow_shift')) : req.scheduler;
  if (!familySamplers(m.family).includes(samplerName)) {
    throw new UserError(`Unknown sampler "${samplerName}" for ${m.family}; choose one of ${familySamplers(m.family).join(', ')}`, 'sampler');
  }
  const schedule = schedulers[schedulerName];
  if (!schedule) throw new UserError(`Unknown scheduler "${schedulerName}"; choose one of ${Object.keys(schedulers).join(', ')}`, 'scheduler');
  // A real model has a fixed frame budget (SVD: 14 or 25): clamp with a warning rather than fail the run.
  const asked = Math.min(m.frames.max, Math.max(m.frames.min, req.frames));
  const lf = Math.max(1, Math.min(latentFrames(m, m.frames.max), latentFrames(m, asked)));
  const frames = pixelFrames(m, lf);
  if (frames !== req.frames) {
    ctx.warn(`${info.title} makes ${m.frames.min} to ${m.frames.max} frames${m.latent.temporalCompression > 1 ? ` (1 + ${m.latent.temporalCompression}k)` : ''}: ${req.frames} became ${frames}`, 'frames');
  }

  const imageData = image.data as Float32Array;
  const C = m.latent.channels;
  const [h, w] = image.shape.slice(2);
  const shape: VideoLatentShape = { layout: layoutOf(m), frames: lf, channels: C, height: h, width: w };
  const n = sizeOf(shape);
  const plane = h * w;
  const frameSize = C * plane;
  const condFrame = imageData.subarray(0, frameSize); // [C, h, w] in both layouts: one frame

  const sampling: ModelSampling = edm ? edmSampling(m.sigma.min, m.sigma.max) : flowSampling(m.flow.shift, m.flow.timestepMultiplier);
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

  // Guidance per latent frame: edm-video grows linearly from minGuidance to cfg across the frames.
  const guidance = Float32Array.from({ length: lf }, (_, f) => (edm && lf > 1 ? m.conditioning.minGuidance + ((req.cfg - m.conditioning.minGuidance) * f) / (lf - 1) : req.cfg));
  const useUncond = guidance.some((g) => g !== 1);
  const batched = useUncond && model.batchCfg && (await model.batchable('denoiser'));
  const floatType = await model.floatType('denoiser');

  const call = await conditioningFeeds(model, textEncoder, req, shape, condFrame, useUncond);
  const spec = m.components.denoiser;
  const inputChannels = edm ? 2 * C : C;
  const itemIn = lf * inputChannels * plane;
  const sampleIn = new Float32Array((batched ? 2 : 1) * itemIn);
  const working = new Float32Array(n);
  const guided = new Float32Array(n);
  const prediction = m.prediction;
  // First-frame conditioning for flow-video: latent frame 0 is the image, re-noised to the current sigma.
  const replaceFirst = !edm;
  const renoiseFirstFrame = firstFrameReplacer(shape, condFrame, noise);

  const fillSample = (item: number, src: Float32Array, cIn: number, cond: boolean) => {
    const offset = item * itemIn;
    if (!edm) {
      for (let k = 0; k < n; k++) sampleIn[offset + k] = cIn * src[k];
      return;
    }
    // [F, 2C, h, w]: the scaled noisy frame, then the (unscaled) image latent, zero for uncond.
    for (let f = 0; f < lf; f++) {
      const dst = offset + f * 2 * frameSize;
      for (let k = 0; k < frameSize; k++) sampleIn[dst + k] = cIn * src[f * frameSize + k];
      if (cond) sampleIn.set(call.concat!, dst + frameSize);
      else sampleIn.fill(0, dst + frameSize, dst + 2 * frameSize);
    }
  };

  // Feeds are built once per batch composition and refilled in place: no per-step allocation.
  const timestepIn = new Float32Array(2);
  const feedSets = new Map<string, { feeds: Record<string, ort.Tensor>; sync: Array<() => void> }>();
  const feedsFor = (items: Array<'cond' | 'uncond'>) => {
    const key = items.join();
    let set = feedSets.get(key);
    if (!set) {
      const B = items.length;
      const sample = reusableTensor(floatType, sampleIn.subarray(0, B * itemIn), [B, ...(edm ? [lf, inputChannels, h, w] : [C, lf, h, w])]);
      const timestep = reusableTensor(floatType, timestepIn.subarray(0, B), [B]);
      const feeds: Record<string, ort.Tensor> = { [spec.inputs.sample]: sample.tensor, [spec.inputs.timestep]: timestep.tensor };
      for (const [name, perItem] of Object.entries(call.perItem)) {
        const parts = items.map((it) => perItem[it]);
        const data = new Float32Array(parts.reduce((a, p) => a + p.data.length, 0));
        let at = 0;
        for (const p of parts) (data.set(p.data, at), (at += p.data.length));
        feeds[name] = floatTensor(floatType, data, [B, ...parts[0].dims]);
      }
      set = { feeds, sync: [sample.sync, timestep.sync] };
      feedSets.set(key, set);
    }
    return set;
  };

  const runModel = async (items: Array<'cond' | 'uncond'>, cNoise: number): Promise<Float32Array> => {
    const { feeds, sync } = feedsFor(items);
    timestepIn.fill(cNoise);
    for (const s of sync) s();
    const out = await model.run('denoiser', feeds);
    return readFloat(out[spec.outputs.prediction]);
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
        uncond = Float32Array.from(await runModel(['uncond'], p.cNoise));
      }
      fillSample(0, working, p.cIn, true);
      cond = await runModel(['cond'], p.cNoise);
    }
    if (uncond) {
      for (let f = 0; f < lf; f++) {
        const g = guidance[f];
        for (let c = 0; c < C; c++) {
          const o = edm ? (f * C + c) * plane : (c * lf + f) * plane;
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

  return new LatentValue(m.family, { samples: float32Tensor(dimsOf(shape), x) }, {
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
  });
}

/** x[frame 0] = alpha * image + sigma * noise[frame 0] (the mask covers latent frame 0 only); buffers made once. */
function firstFrameReplacer(shape: VideoLatentShape, image: Float32Array, noise: Float32Array) {
  const noise0 = new Float32Array(image.length);
  readFrame(shape, noise, 0, noise0);
  const frame = new Float32Array(image.length);
  return (x: Float32Array, alpha: number, sigma: number) => {
    for (let k = 0; k < frame.length; k++) frame[k] = alpha * image[k] + sigma * noise0[k];
    writeFrame(shape, x, 0, frame);
  };
}

/**
 * For models without camera input: frame f of `base` is the image latent seen from the camera at frame f
 * (bilinear), and frame f of `noise` is frame 0's noise carried along the same warp (nearest, so it stays
 * Gaussian), fresh noise where the view reveals what frame 0 did not see.
 */
function warpAlongPath(shape: VideoLatentShape, poses: ReturnType<NonNullable<DenoiseRequest['camera']>['poses']>, image: Float32Array, noise: Float32Array, base: Float32Array): void {
  const { channels: C, width: w, height: h } = shape;
  const noise0 = new Float32Array(C * w * h);
  const fresh = new Float32Array(C * w * h);
  const out = new Float32Array(C * w * h);
  readFrame(shape, noise, 0, noise0);
  for (let f = 0; f < shape.frames; f++) {
    const map = warpMap(poses[0], poses[f], w, h);
    warpPlanes(image, C, w, h, map, 'bilinear', out);
    writeFrame(shape, base, f, out);
    if (f > 0) {
      readFrame(shape, noise, f, fresh);
      warpPlanes(noise0, C, w, h, map, 'nearest', out, fresh);
      writeFrame(shape, noise, f, out);
    }
  }
}

interface CallConditioning {
  /** edm-video: the image latent (noise-augmented, unscaled) concatenated to every frame. */
  concat?: Float32Array;
  /** Per denoiser input: the cond and uncond values of one batch item (dims without the batch axis). */
  perItem: Record<string, Record<'cond' | 'uncond', { data: Float32Array; dims: number[] }>>;
}

async function conditioningFeeds(
  model: OnnxModel,
  textEncoder: OnnxTextEncoder,
  req: DenoiseRequest,
  shape: VideoLatentShape,
  condFrame: Float32Array,
  useUncond: boolean,
): Promise<CallConditioning> {
  const m = model.manifest;
  const inputs = m.components.denoiser.inputs;
  const perItem: CallConditioning['perItem'] = {};
  const same = (data: Float32Array, dims: number[]) => ({ cond: { data, dims }, uncond: { data, dims } });
  let concat: Float32Array | undefined;
  if (m.family === 'edm-video') {
    const embeds = req.image.tensors.image_embeds;
    if (!embeds) throw new UserError('The image LATENT has no image embedding; encode the image with this model', 'image');
    const D = embeds.shape[embeds.shape.length - 1];
    const e = embeds.data as Float32Array;
    perItem[inputs.context] = { cond: { data: e, dims: [1, D] }, uncond: { data: new Float32Array(D), dims: [1, D] } };
    const aug = m.conditioning.noiseAugmentation;
    const augNoise = gaussian(req.seed, NoiseStream.augmentation, condFrame.length);
    concat = new Float32Array(condFrame.length);
    for (let k = 0; k < concat.length; k++) concat[k] = (condFrame[k] + aug * augNoise[k]) / m.latent.scalingFactor;
    const [lo, hi] = m.conditioning.motionBucket;
    const motion = Math.min(1, Math.max(0, req.motion));
    const ids = Float32Array.from([m.conditioning.fps ? req.fps - 1 : 0, Math.round(lo + (hi - lo) * motion), aug]);
    perItem[inputs.addedTimeIds!] = same(ids, [3]);
  } else {
    const positive = req.positive.tensors.hidden;
    if (!positive) throw new UserError('The CONDITIONING has no text embedding; encode the prompt with this model', 'positive');
    const cond = { data: positive.data as Float32Array, dims: positive.shape.slice(1) };
    let uncond = cond;
    if (useUncond) {
      const negative = req.negative?.tensors.hidden ?? (await textEncoder.embed('')).hidden;
      uncond = { data: negative.data as Float32Array, dims: negative.shape.slice(1) };
      if (uncond.dims.join() !== cond.dims.join()) throw new UserError('The negative prompt was encoded by another model', 'negative');
    }
    perItem[inputs.context] = { cond, uncond };
  }
  if (m.conditioning.camera) {
    const poses = req.camera?.poses(shape.frames) ?? Array.from({ length: shape.frames }, () => ({ position: [0, 0, 0] as [number, number, number], rotation: [0, 0, 0] as [number, number, number], fov: 50 }));
    const width = shape.width * m.latent.spatialCompression;
    const height = shape.height * m.latent.spatialCompression;
    const { extrinsics, intrinsics } = cameraConditioning(poses, width, height);
    perItem[inputs.cameraExtrinsics!] = same(extrinsics, [shape.frames, 12]);
    perItem[inputs.cameraIntrinsics!] = same(intrinsics, [shape.frames, 4]);
  }
  return { concat, perItem };
}
