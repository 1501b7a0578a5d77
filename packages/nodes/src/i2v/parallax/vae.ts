import { OperationalError, UserError, type NodeContext, type Summarizable } from '@kinegraph/graph-core';
import { modelCacheDir } from '../../perception/converter/model-cache.js';
import { perceive, type Perception } from './analysis/perception.js';
import type { EncodeImageOptions, VaeHandle } from '../../model/handles.js';
import type { ImageValue } from '../../values/image.js';
import type { LatentValue } from '../../values/latent.js';
import { VideoValue } from '../../values/video.js';
import { Q } from './analysis/analyze.js';
import { analyzeOffThread } from './analysis/analyze-off-thread.js';
import { PARALLAX_V1, type ParallaxProfile } from './profiles.js';
import { MAX_SIZE, MIN_SIZE } from './resolution.js';
import { resizeImage } from './resize.js';
import { SCENE_FAMILY, sceneToLatent } from './scene.js';
import { videoSource } from './video-source.js';

/** The parallax VAE of one model version: encode is the photo analysis, decode the lazy renderer. */
export function makeParallaxVae(profile: ParallaxProfile): VaeHandle & Summarizable {
  const info = profile.info;
  return {
    kind: 'vae',
    info,
    summary: () => `VAE ${info.id}`,
    async encode(ctx: NodeContext, image: ImageValue, o: EncodeImageOptions): Promise<LatentValue> {
      for (const [field, v] of [
        ['width', o.width],
        ['height', o.height],
      ] as const) {
        // Multiples of 8 pass here (the 1080p preset); the EncodeImage node asks multiples of 16 of custom sizes.
        if (!Number.isInteger(v) || v % 8 !== 0 || v < MIN_SIZE || v > MAX_SIZE) {
          throw new UserError(`${field} must be a multiple of 16 between ${MIN_SIZE} and ${MAX_SIZE} (got ${v})`, field);
        }
      }
      if (image.width < 16 || image.height < 16)
        throw new UserError(`The image is too small (${image.width}x${image.height}); at least 16x16 is needed`, 'image');
      const rgb = await resizeImage(image, o.width, o.height, o.resizeMode);
      ctx.throwIfAborted();
      const timings: Record<string, number> = {};
      const pause = async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        ctx.throwIfAborted();
      };
      const t = performance.now();
      const perception = profile.analysis.perception ? await perceiveOrWarn(ctx, rgb, o.width, o.height) : undefined;
      if (perception) timings.perception = Math.round(performance.now() - t);
      ctx.throwIfAborted();
      // On a worker thread: the analysis is the longest synchronous work of a run.
      const options = { mirrorMargin: profile.analysis.mirrorMargin, ...(perception ? { perception } : {}) };
      const scene = await analyzeOffThread(
        rgb,
        o.width,
        o.height,
        (stage, ms) => (timings[stage] = Math.round(ms)),
        options,
        ctx.signal,
        pause,
      );
      return sceneToLatent(scene, SCENE_FAMILY, { timings, resizeMode: o.resizeMode, source: [image.width, image.height] });
    },
    async decode(_ctx: NodeContext, latent: LatentValue): Promise<VideoValue> {
      return new VideoValue(videoSource(latent));
    },
  };
}

export const parallaxVae = makeParallaxVae(PARALLAX_V1);

/**
 * The perception models on the photo; if they cannot run (a damaged install), the classical analysis alone,
 * with a warning that names the problem (the video is still made, with layers from classical cues).
 */
async function perceiveOrWarn(ctx: NodeContext, rgb: Uint8Array, w: number, h: number): Promise<Perception | undefined> {
  try {
    return await perceive(rgb, w, h, { cacheDir: modelCacheDir(ctx.services), log: ctx.log, q: Q });
  } catch (err) {
    if (err instanceof OperationalError) {
      ctx.warn(`The perception models could not run, so layers come from classical cues only: ${err.message}`, 'vae');
      return undefined;
    }
    throw err;
  }
}
