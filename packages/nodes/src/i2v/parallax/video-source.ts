import { UserError } from '@kinegraph/graph-core';
import type { CameraPose } from '../../values/camera.js';
import type { LatentValue } from '../../values/latent.js';
import type { VideoSource } from '../../values/video.js';
import type { AmbientParams } from './motion/motion-params.js';
import { RenderPool } from './render/render-pool.js';
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
  const local = (i: number) => {
    renderer ??= new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed);
    return renderer.render(plan.poses[i], i / plan.fps);
  };
  // Worker threads for clips worth their start-up (about 50 ms each); frames ahead are requested early.
  let useWorkers = plan.frames >= 12 && RenderPool.defaultSize() > 0;
  let pool: RenderPool | undefined;
  const pending = new Map<number, Promise<Uint8Array>>();
  const request = (i: number) => {
    if (pending.has(i) || i >= plan.frames) return;
    if (!pool || pool.closed) pool = new RenderPool(scene, scene.background, plan.ambient, plan.seed);
    const p = pool.render(i, plan.poses[i], i / plan.fps);
    p.catch(() => {}); // a failed prefetch is retried on the main thread when asked for
    pending.set(i, p);
  };
  return {
    width: scene.width,
    height: scene.height,
    fps: plan.fps,
    frameCount: plan.frames,
    async frameAt(i: number): Promise<Uint8Array> {
      if (!Number.isInteger(i) || i < 0 || i >= plan.frames) throw new RangeError(`frame ${i} is outside 0..${plan.frames - 1}`);
      if (!useWorkers) return local(i);
      try {
        const ahead = 2 * RenderPool.defaultSize();
        for (let k = i; k <= i + ahead; k++) request(k);
        const frame = await pending.get(i)!;
        return frame;
      } catch {
        // Workers unavailable (no thread support, loader missing): render here from now on.
        useWorkers = false;
        pool?.close();
        return local(i);
      } finally {
        pending.delete(i);
        // Frames requested out of order are not kept waiting forever.
        for (const k of pending.keys()) if (k < i) pending.delete(k);
        if (i === plan.frames - 1) pool?.close();
      }
    },
    byteSize: () => latent.byteSize(),
  };
}
