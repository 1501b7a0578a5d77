import { z } from 'zod';

/**
 * model.json: what a folder in `<modelsDir>/video/<name>/` holds and how to drive it.
 * Tensor names have the defaults of a diffusers-style export; a manifest names only what differs.
 * Documented field by field in docs/models.md.
 */
const tensorName = (fallback: string) => z.string().min(1).default(fallback);
const file = z
  .string()
  .min(1)
  .refine((f) => !f.includes('..') && !f.startsWith('/') && !f.includes('\\'), 'must be a file name inside the model folder');

export const VaeEncoderSchema = z.object({
  file,
  inputs: z.object({ image: tensorName('pixel_values') }).prefault({}),
  outputs: z.object({ latent: tensorName('latent') }).prefault({}),
});

export const VaeDecoderSchema = z.object({
  file,
  inputs: z.object({ latent: tensorName('latent') }).prefault({}),
  outputs: z.object({ image: tensorName('sample') }).prefault({}),
  /** Latent frames decoded per call (time chunks overlap by `overlapFrames` and are blended). */
  chunkFrames: z.number().int().positive().default(4),
  overlapFrames: z.number().int().min(0).default(0),
  /** Latent tile side for spatial tiling (tiles overlap by `tileOverlap` latent pixels, blended linearly). */
  tileLatent: z.number().int().positive().default(64),
  tileOverlap: z.number().int().min(0).default(8),
});

export const ImageEncoderSchema = z.object({
  file,
  inputs: z.object({ image: tensorName('pixel_values') }).prefault({}),
  outputs: z.object({ embedding: tensorName('image_embeds') }).prefault({}),
  /** Square input size (CLIP: 224) and per-channel normalisation of RGB in [0, 1]. */
  size: z.number().int().positive().default(224),
  mean: z.tuple([z.number(), z.number(), z.number()]).default([0.48145466, 0.4578275, 0.40821073]),
  std: z.tuple([z.number(), z.number(), z.number()]).default([0.26862954, 0.26130258, 0.27577711]),
});

export const TextEncoderSchema = z.object({
  file,
  inputs: z.object({ inputIds: tensorName('input_ids'), attentionMask: z.string().min(1).optional() }).prefault({}),
  outputs: z.object({ hidden: tensorName('last_hidden_state') }).prefault({}),
  tokenizer: file.default('tokenizer.json'),
  tokenizerConfig: file.optional(),
  /** Prompts are padded / truncated to this many tokens. */
  maxLength: z.number().int().positive().default(77),
  padTokenId: z.number().int().min(0).default(0),
});

export const DenoiserSchema = z.object({
  file,
  inputs: z
    .object({
      sample: tensorName('sample'),
      timestep: tensorName('timestep'),
      context: tensorName('encoder_hidden_states'),
      /** edm-video: [fps - 1, motion bucket, noise augmentation] per batch item. */
      addedTimeIds: z.string().min(1).optional(),
      /** Camera conditioning, when the model was trained for it: [B, F, 12] camera-to-world 3x4, [B, F, 4] fx fy cx cy. */
      cameraExtrinsics: z.string().min(1).optional(),
      cameraIntrinsics: z.string().min(1).optional(),
    })
    .prefault({}),
  outputs: z.object({ prediction: tensorName('out_sample') }).prefault({}),
});

const Rgb = z.tuple([z.number(), z.number(), z.number()]);

export const ManifestSchema = z
  .object({
    format: z.literal('kinegraph-video-model'),
    version: z.literal(1),
    title: z.string().min(1),
    description: z.string().optional(),
    family: z.enum(['edm-video', 'flow-video']),
    precision: z.enum(['fp32', 'fp16']).default('fp32'),
    latent: z.object({
      channels: z.number().int().positive(),
      spatialCompression: z.number().int().positive(),
      temporalCompression: z.number().int().positive().default(1),
      scalingFactor: z.number().positive().default(1),
      shiftFactor: z.number().default(0),
    }),
    prediction: z.enum(['eps', 'v', 'x0', 'flow']),
    sigma: z
      .object({
        min: z.number().positive().default(0.002),
        max: z.number().positive().default(700),
        data: z.number().positive().default(1),
      })
      .prefault({}),
    flow: z.object({ shift: z.number().positive().default(3), timestepMultiplier: z.number().positive().default(1000) }).prefault({}),
    size: z
      .object({
        multiple: z.number().int().positive().default(64),
        min: z.number().int().positive().default(64),
        max: z.number().int().positive().default(1024),
        default: z.tuple([z.number().int().positive(), z.number().int().positive()]).default([1024, 576]),
      })
      .prefault({}),
    frames: z
      .object({
        min: z.number().int().positive().default(1),
        max: z.number().int().positive().default(25),
        default: z.number().int().positive().default(14),
      })
      .prefault({}),
    components: z.object({
      vaeEncoder: VaeEncoderSchema,
      vaeDecoder: VaeDecoderSchema,
      denoiser: DenoiserSchema,
      imageEncoder: ImageEncoderSchema.optional(),
      textEncoder: TextEncoderSchema.optional(),
    }),
    conditioning: z
      .object({
        fps: z.boolean().default(true),
        /** The motion parameter (0..1) maps linearly onto this motion bucket range. */
        motionBucket: z.tuple([z.number(), z.number()]).default([1, 255]),
        noiseAugmentation: z.number().min(0).default(0.02),
        camera: z.boolean().default(false),
        /** Guidance grows linearly over the frames from this scale to the set CFG (edm-video). */
        minGuidance: z.number().min(0).default(1),
        /** How much of the schedule a camera-warped start skips, for models without camera input (0 = none). */
        cameraWarpSkip: z.number().min(0).max(0.9).default(0),
      })
      .prefault({}),
    defaults: z
      .object({
        sampler: z.string().optional(),
        scheduler: z.string().optional(),
        steps: z.number().int().positive().optional(),
        cfg: z.number().optional(),
      })
      .prefault({}),
    preview: z.object({ latentRgbFactors: z.array(Rgb).optional(), latentRgbBias: Rgb.default([0, 0, 0]) }).prefault({}),
  })
  .superRefine((m, ctx) => {
    const need = (ok: boolean, path: (string | number)[], message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    if (m.family === 'edm-video') {
      need(m.prediction !== 'flow', ['prediction'], 'edm-video models predict eps, v or x0, not flow');
      need(!!m.components.imageEncoder, ['components', 'imageEncoder'], 'edm-video needs an image embedding encoder');
      need(
        !!m.components.denoiser.inputs.addedTimeIds,
        ['components', 'denoiser', 'inputs', 'addedTimeIds'],
        'edm-video needs the added time ids input',
      );
      need(m.sigma.min < m.sigma.max, ['sigma'], 'sigma.min must be below sigma.max');
    } else {
      need(m.prediction === 'flow', ['prediction'], 'flow-video models predict flow velocity');
      need(!!m.components.textEncoder, ['components', 'textEncoder'], 'flow-video needs a text encoder');
      need(
        (m.frames.min - 1) % m.latent.temporalCompression === 0,
        ['frames', 'min'],
        'flow-video frame counts are 1 + k * temporalCompression',
      );
    }
    if (m.conditioning.camera) {
      const inputs = m.components.denoiser.inputs;
      need(
        !!inputs.cameraExtrinsics && !!inputs.cameraIntrinsics,
        ['components', 'denoiser', 'inputs'],
        'camera conditioning needs cameraExtrinsics and cameraIntrinsics inputs',
      );
    }
    if (m.preview.latentRgbFactors) {
      need(
        m.preview.latentRgbFactors.length === m.latent.channels,
        ['preview', 'latentRgbFactors'],
        `needs one [r, g, b] row per latent channel (${m.latent.channels})`,
      );
    }
  });

export type Manifest = z.output<typeof ManifestSchema>;
export type ManifestInput = z.input<typeof ManifestSchema>;
export type ComponentName = keyof Manifest['components'];
