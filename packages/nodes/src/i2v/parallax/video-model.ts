import { UserError, type NodeContext, type Summarizable } from '@kinegraph/graph-core';
import type { DenoiseRequest, VideoModelHandle } from '../../model/handles.js';
import { LatentValue } from '../../values/latent.js';
import { samplePath } from './camera/path.js';
import { ambientFrom, cameraMovesFrom, guide, toVector } from './motion/guidance.js';
import { parallaxInfo } from './info.js';
import { stillAmbient } from './motion/motion-params.js';
import { fitPoses } from './render/safe-framing.js';
import { jpegPreview, previewSize } from './preview.js';
import { decontaminate } from './render/decontaminate.js';
import { DetailRefiner } from './render/refine-detail.js';
import { PreviewScene } from './render/preview-scene.js';
import { ParallaxRenderer } from './render/renderer.js';
import { latentToScene, SCENE_FAMILY, VIDEO_FAMILY } from './scene.js';
import { parsedFrom } from './text-encoder.js';
import type { VideoPlan } from './video-source.js';

/** Motion intensity 0.5 ("medium") is the scale the presets and ambient amplitudes are tuned for. */
const MEDIUM = 0.5;

export const parallaxModel: VideoModelHandle & Summarizable = {
  kind: 'model',
  info: parallaxInfo,
  summary: () => `MODEL ${parallaxInfo.id}`,
  async denoise(ctx: NodeContext, r: DenoiseRequest): Promise<LatentValue> {
    if (r.image.family !== SCENE_FAMILY) {
      throw new UserError(`The image LATENT comes from a "${r.image.family}" model; encode the photo with the parallax VAE`, 'latent');
    }
    const positive = parsedFrom(r.positive);
    if (!positive) throw new UserError('The positive CONDITIONING is missing', 'positive');
    const negative = parsedFrom(r.negative);
    const scene = latentToScene(r.image);
    const scale = r.motion / MEDIUM;
    // Classifier-free guidance in motion space: negative prompt is the unconditional side.
    const guided = guide(toVector(positive), toVector(negative), r.cfg);
    const ambient = { ...ambientFrom(guided, positive, scale), duration: r.frames / r.fps };
    const wanted = r.camera
      ? r.camera.poses(r.frames)
      : (() => {
          const spec = { moves: cameraMovesFrom(guided, scale), keyframes: [], shakeSeed: r.seed % 2 ** 31 };
          return Array.from({ length: r.frames }, (_, i) => samplePath(spec, r.frames <= 1 ? 0 : i / (r.frames - 1)));
        })();
    const poses = fitPoses(scene, wanted, stillAmbient());
    const plan: VideoPlan = { frames: r.frames, fps: r.fps, seed: r.seed, poses: poses.map(roundPose), ambient };

    // Steps: noise-to-detail refinement of the synthesized background, with a preview frame after each,
    // rendered from a small copy of the scene that only takes in the refined detail.
    const refiner = new DetailRefiner(scene, r.seed, r.steps);
    const pv = previewSize(scene.width, scene.height);
    const small = PreviewScene.create(scene, pv.width, pv.height, refiner);
    // Each preview's JPEG is encoded (on sharp's threads) while the next step runs; reports stay in order.
    let reported: Promise<void> = Promise.resolve();
    let background: Uint8Array;
    try {
      for (let k = 0; k < r.steps; k++) {
        ctx.throwIfAborted();
        refiner.step(k);
        await reported;
        const frame = Math.round(((k + 1) / r.steps) * (r.frames - 1));
        const renderer = new ParallaxRenderer(small.scene, small.background(), ambient, r.seed, pv.width, pv.height);
        reported = jpegPreview(renderer.render(plan.poses[frame], frame / r.fps), pv.width, pv.height).then((preview) => {
          ctx.throwIfAborted();
          ctx.progress(k + 1, r.steps, preview);
        });
      }
      await reported;
      // A fresh array: decontaminate adjusts it in place, and the input latent stays as it was.
      background = refiner.result();
    } finally {
      await reported.catch(() => {});
      refiner.dispose();
    }
    const foreground = decontaminate(scene.rgb, scene.matte, background, scene.width, scene.height, scene.pad);
    return new LatentValue(
      VIDEO_FAMILY,
      {
        ...r.image.tensors,
        background: { dtype: 'uint8', shape: r.image.tensors.background.shape, data: background },
        foreground: { dtype: 'uint8', shape: r.image.tensors.rgb.shape, data: foreground },
      },
      {
        ...r.image.meta,
        video: plan,
        guidance: { cfg: r.cfg, motion: r.motion, steps: r.steps, sampler: r.sampler, vector: guided },
        cameraSource: r.camera ? 'CAMERA input' : 'prompt',
      },
    );
  },
};

const round = (v: number) => Math.round(v * 1e6) / 1e6;
function roundPose(p: { position: number[]; rotation: number[]; fov: number }) {
  return {
    position: p.position.map(round) as [number, number, number],
    rotation: p.rotation.map(round) as [number, number, number],
    fov: round(p.fov),
  };
}
