import type { VideoLatentShape } from './latent-layout.js';
import type { Manifest } from './manifest.js';
import { edmSampling, flowSampling, type ModelSampling } from './sampling/model-sampling.js';

/**
 * What differs between the ONNX video families when denoising, in one place per family: the noise
 * schedule's model, the guidance per frame, what the denoiser takes as input and how the first frame is
 * held to the photo. denoise.ts runs any family through this, with no family tests of its own.
 */
export interface FamilyStrategy {
  /** The scheduler when neither the request nor the manifest names one. */
  defaultScheduler: string;
  sampling(m: Manifest): ModelSampling;
  /** The guidance scale of each of `frames` latent frames. */
  guidance(m: Manifest, cfg: number, frames: number): Float32Array;
  /** Channels per latent frame of the denoiser's input. */
  inputChannels(channels: number): number;
  /**
   * Writes one item of the denoiser's input at `offset`: the scaled noisy latent `src`, plus what the family
   * adds (`image`: the image latent of a conditioned item, undefined for the unconditioned one).
   */
  fillSample(
    dst: Float32Array,
    offset: number,
    src: Float32Array,
    cIn: number,
    image: Float32Array | undefined,
    shape: VideoLatentShape,
  ): void;
  /** Latent frame 0 is the photo itself, re-noised to each step's sigma (first-frame conditioning). */
  firstFrameIsImage: boolean;
}

/** Stable Video Diffusion style: the image latent concatenated to every frame, guidance rising over the clip. */
const edmVideo: FamilyStrategy = {
  defaultScheduler: 'karras',
  sampling: (m) => edmSampling(m.sigma.min, m.sigma.max),
  guidance: (m, cfg, lf) =>
    Float32Array.from({ length: lf }, (_, f) =>
      lf > 1 ? m.conditioning.minGuidance + ((cfg - m.conditioning.minGuidance) * f) / (lf - 1) : cfg,
    ),
  inputChannels: (c) => 2 * c,
  fillSample(dst, offset, src, cIn, image, shape) {
    // [F, 2C, h, w]: the scaled noisy frame, then the (unscaled) image latent, zero for uncond.
    const frameSize = shape.channels * shape.height * shape.width;
    for (let f = 0; f < shape.frames; f++) {
      const at = offset + f * 2 * frameSize;
      for (let k = 0; k < frameSize; k++) dst[at + k] = cIn * src[f * frameSize + k];
      if (image) dst.set(image, at + frameSize);
      else dst.fill(0, at + frameSize, at + 2 * frameSize);
    }
  },
  firstFrameIsImage: false,
};

/** LTX-Video / Wan style flow matching: the latent alone goes in; frame 0 is held to the image. */
const flowVideo: FamilyStrategy = {
  defaultScheduler: 'flow_shift',
  sampling: (m) => flowSampling(m.flow.shift, m.flow.timestepMultiplier),
  guidance: (_m, cfg, lf) => new Float32Array(lf).fill(cfg),
  inputChannels: (c) => c,
  fillSample(dst, offset, src, cIn) {
    for (let k = 0; k < src.length; k++) dst[offset + k] = cIn * src[k];
  },
  firstFrameIsImage: true,
};

export const familyStrategies: Record<Manifest['family'], FamilyStrategy> = { 'edm-video': edmVideo, 'flow-video': flowVideo };
