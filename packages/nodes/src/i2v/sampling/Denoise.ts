import { defineNode, input, output, p, UserError } from '@kinegraph/graph-core';
import { CAMERA, CONDITIONING, LATENT, MODEL, MOTION_REGION } from '../../sockets.js';

export const MOTION_LEVELS = { low: 0.25, medium: 0.5, high: 0.85 } as const;

/** The model turns the image latent into a video latent, guided by the prompts and the camera. */
export const Denoise = defineNode({
  type: 'Denoise',
  category: 'sampling',
  title: 'Denoise',
  description:
    'Generates the motion: length (frames or seconds), frame rate, steps, cfg (motion = negative + cfg × (positive − negative)), seed, sampler and motion intensity. Reports a preview after every step.',
  version: 1,
  inputs: {
    model: input(MODEL),
    latent: input(LATENT, { description: 'From Encode Image' }),
    positive: input(CONDITIONING),
    negative: input(CONDITIONING, { optional: true }),
    camera: input(CAMERA, { optional: true, description: 'Overrides the camera words of the prompt' }),
    motion_regions: input(MOTION_REGION, { optional: true, description: 'From Motion Brush: painted regions that move their own way' }),
  },
  outputs: { latent: output(LATENT, { description: 'The video latent (for Decode Video)' }) },
  params: {
    duration: p.float({ default: 6, min: 0.1, max: 120, step: 0.5, label: 'Duration (s)', description: 'Used when frames is 0' }),
    frames: p.int({ default: 0, min: 0, max: 7200, label: 'Frames', description: '0: duration × fps' }),
    fps: p.int({ default: 24, min: 1, max: 60, label: 'FPS' }),
    steps: p.int({ default: 6, min: 1, max: 100, label: 'Steps' }),
    cfg: p.float({ default: 1, min: 0, max: 30, step: 0.1, label: 'CFG' }),
    seed: p.seed({ label: 'Seed' }),
    sampler: p.string({
      default: 'default',
      label: 'Sampler',
      description: "One of the model's samplers; 'default' takes its first",
      maxLength: 64,
    }),
    scheduler: p.string({ default: 'default', label: 'Scheduler', maxLength: 64, advanced: true }),
    motion: p.choice(['low', 'medium', 'high', 'custom'], { default: 'medium', label: 'Motion', description: 'custom uses motion amount' }),
    motion_amount: p.float({ default: 0.5, min: 0, max: 1, step: 0.05, slider: true, label: 'Motion amount', advanced: true }),
    framing: p.choice(['auto', 'inside', 'beyond'], {
      default: 'auto',
      label: 'Framing',
      description:
        "inside: no frame shows anything outside the photo (the camera zooms in a little to make room); beyond: large moves may show content the model invents past the photo's edges; auto: the model's default (builtin/parallax-v2: inside; builtin/parallax-v1 always frames within its margin)",
      advanced: true,
    }),
  },
  cache: 'seeded',
  async execute(ctx, inputs, params) {
    const { model, negative, camera } = inputs;
    const frames = params.frames > 0 ? params.frames : Math.max(1, Math.round(params.duration * params.fps));
    const pick = (name: string, value: string, options: string[]) => {
      if (value === 'default') return options[0] ?? 'default';
      if (!options.includes(value))
        throw new UserError(`Unknown ${name} "${value}" for ${model.info.id}; choose one of: default, ${options.join(', ')}`, name);
      return value;
    };
    const latent = await model.denoise(ctx, {
      image: inputs.latent,
      positive: inputs.positive,
      negative,
      camera,
      frames,
      fps: params.fps,
      steps: params.steps,
      cfg: params.cfg,
      seed: params.seed,
      sampler: pick('sampler', params.sampler, model.info.samplers),
      scheduler: pick('scheduler', params.scheduler, model.info.schedulers),
      motion: params.motion === 'custom' ? params.motion_amount : MOTION_LEVELS[params.motion],
      framing: params.framing,
      ...(inputs.motion_regions ? { brushes: inputs.motion_regions.strokes } : {}),
    });
    return { latent };
  },
});
