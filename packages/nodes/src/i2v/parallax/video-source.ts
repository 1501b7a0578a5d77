import { UserError } from '@kinegraph/graph-core';
import type { CameraPose } from '../../values/camera.js';
import type { LatentValue } from '../../values/latent.js';
import type { VideoSource } from '../../values/video.js';
import type { AmbientParams } from './motion/motion-params.js';
import { RenderPool, type FrameFormat } from './render/render-pool.js';
import { ParallaxRenderer, type RenderOptions } from './render/renderer.js';
import { latentToScene, SCENE_FAMILY, VIDEO_FAMILY } from './scene.js';

/** What Denoise stores in the video latent's meta besides the scene: everything needed to render any frame. */
export interface VideoPlan {
  frames: number;
  fps: number;
  seed: number;
  poses: CameraPose[];
  ambient: AmbientParams;
  /** Rendering choices of the model version (absent for builtin/parallax-v1). */
  render?: RenderOptions;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
  const local = (i: number, format: FrameFormat, into?: Uint8Array) => {
    renderer ??= new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed, scene.width, scene.height, plan.render);
    const t = i / plan.fps;
    if (format === 'rgb') return renderer.render(plan.poses[i], t);
    const size = (scene.width * scene.height * 3) / 2;
    return renderer.renderI420(plan.poses[i], t, into?.length === size ? into : new Uint8Array(size));
  };
  // Worker threads for clips worth their start-up (about 50 ms each); frames ahead are requested early.
  let useWorkers = plan.frames >= 12 && RenderPool.defaultSize() > 0;
  let pool: RenderPool | undefined;
  const pending = new Map<string, Promise<Uint8Array>>();
  const request = (i: number, format: FrameFormat) => {
    const key = `${format}:${i}`;
    if (pending.has(key) || i >= plan.frames) return;
    if (!pool || pool.closed) pool = new RenderPool(scene, scene.background, plan.ambient, plan.seed, undefined, undefined, plan.render);
    const p = pool.render(i, plan.poses[i], i / plan.fps, format);
    p.catch(() => {}); // a failed prefetch is retried on the main thread when asked for
    pending.set(key, p);
  };
  // The worker starts (tsx, the renderer's modules, the scene's planes: about half a second under load) while
  // the encoder and ffmpeg start, not after the first frame is asked for; unused, it stops when idle.
  if (useWorkers) {
    setImmediate(() => {
      if (useWorkers && (!pool || pool.closed))
        pool = new RenderPool(scene, scene.background, plan.ambient, plan.seed, undefined, undefined, plan.render);
    });
  }
  const frame = async (i: number, format: FrameFormat, into?: Uint8Array): Promise<Uint8Array> => {
    if (!Number.isInteger(i) || i < 0 || i >= plan.frames) throw new RangeError(`frame ${i} is outside 0..${plan.frames - 1}`);
    if (!useWorkers) {
      // A turn of the event loop before each frame (tens of ms of synchronous work): an encoder that
      // asks for frames from inside a burst of worker messages (one MessagePort event handles up to 1000
      // of them) would otherwise render a whole clip without the server answering HTTP or an interrupt.
      await yieldToLoop();
      if (!renderer) {
        // The renderer's set-up (fields, then the I420 layers) is the longest step of all: a turn in between.
        renderer = new ParallaxRenderer(scene, scene.background, plan.ambient, plan.seed, scene.width, scene.height, plan.render);
        await yieldToLoop();
        if (format === 'i420' && even) await renderer.prepareI420InTurns(yieldToLoop);
      }
      const out = local(i, format, into);
      // The clip is done: the renderer's layers (tens of MB) need not live on with the cached VIDEO value.
      if (i === plan.frames - 1) renderer = undefined;
      return out;
    }
    try {
      if (into && pool && !pool.closed) pool.recycle(into);
      const ahead = 2 * RenderPool.defaultSize();
      for (let k = i; k <= i + ahead; k++) request(k, format);
      return await pending.get(`${format}:${i}`)!;
    } catch {
      // Workers unavailable (no thread support, loader missing): render here from now on.
      useWorkers = false;
      pool?.close();
      return local(i, format);
    } finally {
      pending.delete(`${format}:${i}`);
      // Frames requested out of order are not kept waiting forever.
      for (const key of pending.keys()) if (Number(key.slice(key.indexOf(':') + 1)) < i) pending.delete(key);
      if (i === plan.frames - 1) pool?.close();
    }
  };
  const even = scene.width % 2 === 0 && scene.height % 2 === 0;
  return {
    width: scene.width,
    height: scene.height,
    fps: plan.fps,
    frameCount: plan.frames,
    frameAt: (i) => frame(i, 'rgb'),
    ...(even ? { i420At: (i: number, into?: Uint8Array) => frame(i, 'i420', into) } : {}),
    byteSize: () => latent.byteSize(),
  };
}
