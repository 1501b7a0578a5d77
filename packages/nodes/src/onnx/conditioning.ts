import { UserError } from '@kinegraph/graph-core';
import type { DenoiseRequest } from '../model/handles.js';
import { cameraConditioning } from './camera.js';
import type { VideoLatentShape } from './latent-layout.js';
import type { OnnxModel } from './onnx-model.js';
import { gaussian, NoiseStream } from './sampling/noise.js';
import type { OnnxTextEncoder } from './text-encoder.js';

/** The denoiser inputs besides the latent and timestep, per family, for the conditional and unconditional pass. */
export interface CallConditioning {
  /** edm-video: the image latent (noise-augmented, unscaled) concatenated to every frame. */
  concat?: Float32Array;
  /** Per denoiser input: the cond and uncond values of one batch item (dims without the batch axis). */
  perItem: Record<string, Record<'cond' | 'uncond', { data: Float32Array; dims: number[] }>>;
}

export async function conditioningFeeds(
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
    // Unscaled (raw VAE) latent, as diffusers feeds it; the augmentation noise is added at that scale.
    for (let k = 0; k < concat.length; k++) concat[k] = condFrame[k] / m.latent.scalingFactor + aug * augNoise[k];
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
    const poses =
      req.camera?.poses(shape.frames) ??
      Array.from({ length: shape.frames }, () => ({
        position: [0, 0, 0] as [number, number, number],
        rotation: [0, 0, 0] as [number, number, number],
        fov: 50,
      }));
    const width = shape.width * m.latent.spatialCompression;
    const height = shape.height * m.latent.spatialCompression;
    const { extrinsics, intrinsics } = cameraConditioning(poses, width, height);
    perItem[inputs.cameraExtrinsics!] = same(extrinsics, [shape.frames, 12]);
    perItem[inputs.cameraIntrinsics!] = same(intrinsics, [shape.frames, 4]);
  }
  return { concat, perItem };
}
