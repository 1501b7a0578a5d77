import { defineNode, input, output, p } from '@kinegraph/graph-core';
import { IMAGE, LATENT, VAE } from '../../sockets.js';
import { ASPECTS, chooseSize, MAX_SIZE, MIN_SIZE } from '../parallax/resolution.js';

/** IMAGE → LATENT through the model's VAE, at a preset or custom resolution. */
export const EncodeImage = defineNode({
  type: 'EncodeImage',
  category: 'latent',
  title: 'Encode Image',
  description:
    'Prepares the photo for the model at the output resolution. For the built-in parallax models this is the photo analysis: subject matte, layered depth, sky/water/vegetation regions, background completed behind the subject and beyond the frame.',
  version: 1,
  inputs: {
    vae: input(VAE),
    image: input(IMAGE),
  },
  outputs: { latent: output(LATENT) },
  params: {
    resolution: p.choice(['512p', '720p', '1080p', 'custom'], {
      default: '720p',
      label: 'Resolution',
      description: 'Short side of the video; custom uses width and height',
    }),
    aspect: p.choice(ASPECTS, {
      default: 'auto',
      label: 'Aspect',
      description: 'auto: 16:9 for landscape photos, 9:16 for portrait, 1:1 for square; photo: the photo’s own shape',
    }),
    width: p.int({
      default: 1280,
      min: MIN_SIZE,
      max: MAX_SIZE,
      step: 16,
      label: 'Width',
      description: 'Custom resolution only; a multiple of 16',
    }),
    height: p.int({
      default: 720,
      min: MIN_SIZE,
      max: MAX_SIZE,
      step: 16,
      label: 'Height',
      description: 'Custom resolution only; a multiple of 16',
    }),
    resize_mode: p.choice(['crop', 'fit', 'pad'], {
      default: 'crop',
      label: 'Resize',
      description: 'crop fills the frame, fit shows the whole photo on its blurred copy, pad on black',
    }),
  },
  checkParams(params) {
    const issues: Array<[string, string]> = [];
    if (params.resolution === 'custom') {
      if (params.width % 16) issues.push(['width', `Width must be a multiple of 16 (got ${params.width})`]);
      if (params.height % 16) issues.push(['height', `Height must be a multiple of 16 (got ${params.height})`]);
    }
    return issues;
  },
  cache: 'pure',
  async execute(ctx, inputs, params) {
    const { vae, image } = inputs;
    const size = chooseSize(image.width, image.height, params);
    // Cover scaling, as crop does: the factor the photo's pixels are blown up by.
    const enlarge = Math.max(size.width / image.width, size.height / image.height);
    if (enlarge > 2.5) {
      ctx.warn(
        `The photo is only ${image.width}x${image.height}: enlarged ${enlarge.toFixed(1)}x to ${size.width}x${size.height} it will look soft; a larger photo or a lower resolution looks better`,
        'resolution',
      );
    }
    const latent = await vae.encode(ctx, image, { ...size, resizeMode: params.resize_mode });
    const stats = latent.meta.stats as Record<string, unknown> | undefined;
    if (stats) {
      ctx.ui({
        kind: 'text',
        text: `${size.width}x${size.height}: ${stats.subjectReason ?? ''}; sky ${pct(stats.skyShare)}, water ${pct(stats.waterShare)}, vegetation ${pct(stats.vegetationShare)}`,
        data: { ...stats, width: size.width, height: size.height },
      });
    }
    return { latent };
  },
});

const pct = (v: unknown) => `${Math.round(Number(v ?? 0) * 100)}%`;
