import { createServices } from '@kinegraph/graph-core';
import { parallaxV2Bundle } from '../../../packages/nodes/src/i2v/parallax/provider.js';
import { sceneToLatent, type ParallaxScene } from '../../../packages/nodes/src/i2v/parallax/scene.js';
import type { VideoPlan } from '../../../packages/nodes/src/i2v/parallax/video-source.js';
import { createTestCtx } from '../../../packages/nodes/src/test-support/ctx.js';
import type { LatentValue } from '../../../packages/nodes/src/values/latent.js';
import type { BrushStroke } from '../../../packages/nodes/src/values/motion-region.js';

export interface V2Options {
  negative?: string;
  cfg?: number;
  seed?: number;
  frames?: number;
  fps?: number;
  steps?: number;
  motion?: number;
  framing?: 'auto' | 'inside' | 'beyond';
  brushes?: BrushStroke[];
}

/** builtin/parallax-v2's Denoise on a scene or an image latent; the video latent, its plan and the node context (warnings). */
export async function denoiseV2(image: ParallaxScene | LatentValue, positive: string, o: V2Options = {}) {
  const { model, textEncoder } = parallaxV2Bundle;
  const ctx = createTestCtx(createServices([]));
  const latent = 'tensors' in image ? image : sceneToLatent(image);
  const video = await model.denoise(ctx, {
    image: latent,
    positive: await textEncoder.encode(ctx, positive),
    negative: o.negative === undefined ? undefined : await textEncoder.encode(ctx, o.negative),
    frames: o.frames ?? 144,
    fps: o.fps ?? 24,
    steps: o.steps ?? 1,
    cfg: o.cfg ?? 1,
    seed: o.seed ?? 7,
    sampler: 'default',
    scheduler: 'default',
    motion: o.motion ?? 0.5,
    framing: o.framing,
    ...(o.brushes ? { brushes: o.brushes } : {}),
  });
  return { video, plan: video.meta.video as VideoPlan, ctx, meta: video.meta as Record<string, any> };
}
