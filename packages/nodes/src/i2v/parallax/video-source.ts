import { UserError } from '@kinegraph/graph-core';
import type { CameraPose } from '../../values/camera.js';
import type { LatentValue } from '../../values/latent.js';
import type { VideoSource } from '../../values/video.js';
import type { AmbientParams } from './motion/motion-params.js';
import { ParallaxRenderer } from './render/renderer.js';
import { latentToScene, SCENE_FAMILY, VIDEO_FAMILY } from './scene.js';

/** What Denoise stores in the video latent's meta besides the scene: everything needed to render any frame. */
export interface VideoPlan {
  frames: number;
  fps: number;
  seed: number;
  poses: CameraPose[];
  ambient: AmbientParams;
}

/** A lazy VideoSource: frame i is rendered when asked for, so a long clip never sits in memory. */
export function videoSource(latent: LatentValue): VideoSource {
  if (latent.family === SCENE_FAMILY) {
    throw new UserError('This LATENT is a still photo analysis: run it through Denoise before DecodeVideo', 'latent');
  }
  if (latent.family !== VIDEO_FAMILY) {
    throw new UserError(`This LATENT comes from a "${latent.family}" model; decode it with that model's VAE`, 'latent');
  }
  const scene = latentToScene(latent);
  const plan = latent.meta.video as VideoPlan;
  let renderer: ParallaxRenderer | undefined;
  return {
    width: scene.width,
    height: scene.height,
    fps: plan.fps,
    frameCount: plan.frames,
    async frameAt(i: number): Promise<Uint8Array> {
      if (!Number.isInteger(i) || i < 0 || i >= plan.frames) throw new RangeError(`frame ${i} is outside 0..${plan.frames - 1}`);
      renderer ??= new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed);
      return renderer.render(plan.poses[i], i / plan.fps);
    },
    byteSize: () => latent.byteSize(),
  };
}
