import { UserError, type NodeContext, type Summarizable } from '@kinegraph/graph-core';
import type { DenoiseRequest, VideoModelHandle } from '../../model/handles.js';
import { LatentValue } from '../../values/latent.js';
import type { CameraPose } from '../../values/camera.js';
import { CameraPathSchema, samplePath } from './camera/path.js';
import { commandLabel, type CameraCommand } from './camera/commands.js';
import { ambientFrom, cameraMovesFrom, guide, toVector } from './motion/guidance.js';
import { sequenceMoves } from './motion/camera-sequence.js';
import { stillAmbient, type AmbientParams } from './motion/motion-params.js';
import { PARALLAX_V1, type FramingPolicy, type ParallaxProfile } from './profiles.js';
import type { ParsedPrompt } from './prompt/parse-prompt.js';
import { SUBJECT_KINDS } from './prompt/lexicon.js';
import { fitPoses } from './render/safe-framing.js';
import { frameInsidePhoto } from './render/photo-framing.js';
import type { RenderOptions } from './render/renderer.js';
import { jpegPreview, previewSize } from './preview.js';
import { decontaminateInTurns } from './render/decontaminate.js';
import { DetailRefiner } from './render/refine-detail.js';
import { PreviewScene } from './render/preview-scene.js';
import { ParallaxRenderer } from './render/renderer.js';
import { latentToScene, SCENE_FAMILY, VIDEO_FAMILY, type ParallaxScene } from './scene.js';
import { parsedFrom } from './text-encoder.js';
import type { VideoPlan } from './video-source.js';
import type { ResizeMode } from '../../model/handles.js';
import { brushFields } from './motion/brush-fields.js';

/** Motion intensity 0.5 ("medium") is the scale the presets and ambient amplitudes are tuned for. */
const MEDIUM = 0.5;

/** The video model of one parallax version: guidance, camera and framing per its profile, then the refinement steps. */
export function makeParallaxModel(profile: ParallaxProfile): VideoModelHandle & Summarizable {
  const info = profile.info;
  return {
    kind: 'model',
    info,
    summary: () => `MODEL ${info.id}`,
    denoise: (ctx, r) => denoise(profile, ctx, r),
  };
}

export const parallaxModel = makeParallaxModel(PARALLAX_V1);

async function denoise(profile: ParallaxProfile, ctx: NodeContext, r: DenoiseRequest): Promise<LatentValue> {
  if (r.image.family !== SCENE_FAMILY) {
    throw new UserError(`The image LATENT comes from a "${r.image.family}" model; encode the photo with the parallax VAE`, 'latent');
  }
  const positive = parsedFrom(r.positive, profile.prompt);
  if (!positive) throw new UserError('The positive CONDITIONING is missing', 'positive');
  const negative = parsedFrom(r.negative, profile.prompt);
  const scene = latentToScene(r.image);
  const scale = r.motion / MEDIUM;
  // Classifier-free guidance in motion space: negative prompt is the unconditional side.
  const guided = guide(toVector(positive), toVector(negative), r.cfg, profile.guidance);
  if (!profile.guidance.cameraFromNegative) warnNegativeCamera(ctx, positive, negative);
  const ambient = { ...ambientFrom(guided, positive, scale, profile.ambient.auto), duration: r.frames / r.fps };
  if (profile !== PARALLAX_V1) warnSubjectMotion(ctx, scene, ambient);
  if (r.brushes?.length) {
    // Motion Brush: the painted masks carried onto the scene as Encode Image fitted the photo (a latent
    // that does not say, e.g. one built by hand, is taken to be the photo as is).
    const meta = r.image.meta as { source?: [number, number]; resizeMode?: ResizeMode };
    const { fields, motions } = brushFields(r.brushes, scene, meta.source ?? [scene.width, scene.height], meta.resizeMode ?? 'crop');
    scene.brush = fields;
    ambient.brushes = motions;
  }
  // Long synchronous stretches (framing a long clip, the refiner's tables) are split by turns of the event
  // loop, so the server keeps answering and an interrupt lands between them.
  const pause = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    ctx.throwIfAborted();
  };
  const { poses, render, framing } = await cameraPoses(profile, ctx, r, scene, positive, guided, scale, ambient, pause);
  const plan: VideoPlan = {
    frames: r.frames,
    fps: r.fps,
    seed: r.seed,
    poses: poses.map(roundPose),
    ambient,
    ...(render ? { render } : {}),
  };

  // Steps: noise-to-detail refinement of the synthesized background, with a preview frame after each,
  // rendered from a small copy of the scene that only takes in the refined detail.
  await pause();
  const refiner = new DetailRefiner(scene, r.seed, r.steps);
  // Each preview's JPEG is encoded (on sharp's threads) while the next step runs; reports stay in order.
  let reported: Promise<void> = Promise.resolve();
  let background: Uint8Array;
  try {
    await pause();
    const pv = previewSize(scene.width, scene.height);
    const small = await PreviewScene.createInTurns(scene, pv.width, pv.height, refiner, pause);
    await pause();
    for (let k = 0; k < r.steps; k++) {
      await pause();
      refiner.step(k);
      await reported;
      const frame = Math.round(((k + 1) / r.steps) * (r.frames - 1));
      const renderer = new ParallaxRenderer(small.scene, small.background(), ambient, r.seed, pv.width, pv.height, plan.render);
      reported = jpegPreview(renderer.render(plan.poses[frame], frame / r.fps), pv.width, pv.height).then((preview) => {
        ctx.throwIfAborted();
        ctx.progress(k + 1, r.steps, preview);
      });
      // Marked as handled now: an interrupt can reject it while the next pause waits for the event loop,
      // and the rejection still reaches the `await reported` below.
      reported.catch(() => {});
    }
    await reported;
    // A fresh array: decontaminate adjusts it in place, and the input latent stays as it was.
    background = refiner.result();
  } finally {
    await reported.catch(() => {});
    refiner.dispose();
  }
  await pause();
  const foreground = await decontaminateInTurns(
    scene.rgb,
    scene.matte,
    background,
    scene.width,
    scene.height,
    scene.pad,
    { nudgeBackground: profile === PARALLAX_V1 },
    pause,
  );
  return new LatentValue(
    VIDEO_FAMILY,
    {
      ...r.image.tensors,
      background: { dtype: 'uint8', shape: r.image.tensors.background.shape, data: background },
      foreground: { dtype: 'uint8', shape: r.image.tensors.rgb.shape, data: foreground },
      ...(scene.brush
        ? {
            brush: {
              dtype: 'float32' as const,
              shape: [scene.brush.length / (scene.qw * scene.qh), scene.qh, scene.qw],
              data: scene.brush,
            },
          }
        : {}),
    },
    {
      ...r.image.meta,
      video: plan,
      guidance: { cfg: r.cfg, motion: r.motion, steps: r.steps, sampler: r.sampler, vector: guided },
      cameraSource: r.camera ? 'CAMERA input' : 'prompt',
      ...(framing ? { framing } : {}),
    },
  );
}

/**
 * The camera's pose for every frame: the CAMERA input's path (its presets sized by this version's
 * calibration) or the prompt's moves, then framed (v1: inside the synthesized margin; v2: inside the photo
 * unless the run asks for content beyond it).
 */
export async function cameraPoses(
  profile: ParallaxProfile,
  ctx: NodeContext,
  r: DenoiseRequest,
  scene: ParallaxScene,
  positive: ParsedPrompt,
  guided: Record<string, number>,
  scale: number,
  ambient: AmbientParams,
  pause: () => Promise<void>,
): Promise<{ poses: CameraPose[]; render?: RenderOptions; framing?: Record<string, unknown> }> {
  const times = Array.from({ length: r.frames }, (_, i) => (r.frames <= 1 ? 0 : i / (r.frames - 1)));
  if (profile === PARALLAX_V1) {
    // builtin/parallax-v1, exactly as it always was (old workflows keep their bytes).
    const wanted = r.camera
      ? r.camera.poses(r.frames)
      : (() => {
          const spec = { moves: cameraMovesFrom(guided, scale), keyframes: [], shakeSeed: r.seed % 2 ** 31 };
          return times.map((t) => samplePath(spec, t));
        })();
    return { poses: fitPoses(scene, wanted, stillAmbient()) };
  }
  const cal = profile.calibrate(scene);
  let follow = false;
  let wanted: CameraPose[];
  const fromInput = r.camera ? CameraPathSchema.safeParse(r.camera.spec) : undefined;
  if (fromInput?.success) {
    // A Camera Path's presets, sized like the prompt's (keyframes are exact poses and stay as they are).
    wanted = times.map((t) => samplePath(fromInput.data, t, cal));
  } else if (r.camera) {
    wanted = r.camera.poses(r.frames);
  } else {
    const seq = sequenceMoves(positive, scale);
    follow = profile.tracking && seq.follow;
    // The seed rerolls ambient motion only: the camera, its shake included, stays the same.
    const spec = { moves: seq.moves, keyframes: [], shakeSeed: 1 };
    wanted = times.map((t) => samplePath(spec, t, cal));
  }
  if (follow && !(scene.subjectDepth > 0)) {
    ctx.warn(
      'Tracking asks to follow a subject, but none was found in the photo: the camera moves sideways past the scene instead',
      'positive',
    );
    follow = false;
  }
  const render: RenderOptions = { variety: profile.ambient.variety, premultiplied: true, ...(follow ? { followSubject: true } : {}) };
  const policy: FramingPolicy = r.framing === 'beyond' ? 'margin' : r.framing === 'inside' ? 'photo' : profile.framing;
  if (policy === 'margin') return { poses: fitPoses(scene, wanted, stillAmbient()), render, framing: { policy } };
  await pause();
  const framed = await frameInsidePhoto(scene, wanted, ambient, r.seed, r.fps, render, pause);
  if (framed.budget < 0.999) {
    ctx.warn(
      `The photo has room for ${Math.round(framed.budget * 100)}% of this camera move inside its edges, so the move was made smaller; set Denoise framing to "beyond" to show content beyond the photo instead`,
      'motion',
    );
  }
  const maxZoom = Math.max(...framed.zoom);
  return { poses: framed.poses, render, framing: { policy, budget: round(framed.budget), maxZoom: round(maxZoom) } };
}

/** v2: subject motion the prompt asks for that the photo has nothing to put on says so (it would silently do nothing). */
function warnSubjectMotion(ctx: NodeContext, scene: ParallaxScene, ambient: AmbientParams): void {
  const asked = SUBJECT_KINDS.filter((k) => (ambient.subject[k] ?? 0) > 0);
  if (!asked.length) return;
  const names = asked.map((k) => SUBJECT_LABELS[k]).join(', ');
  if (!(scene.subjectDepth > 0)) {
    ctx.warn(`The prompt asks for ${names}, but no subject (no person) was found in the photo, so nothing moves that way`, 'positive');
  } else if (!scene.person) {
    ctx.warn(
      `The prompt asks for ${names}, but no person was found: the subject found (${String(scene.stats.subjectReason ?? 'in focus')}) moves that way as one piece`,
      'positive',
    );
  } else if (asked.includes('head') && !scene.faces?.length) {
    ctx.warn('The prompt asks for a head turn, but no face was found on the person, so the head does not turn', 'positive');
  }
}

const SUBJECT_LABELS: Record<(typeof SUBJECT_KINDS)[number], string> = {
  breathing: 'breathing',
  sway: 'swaying',
  hair: 'hair in the wind',
  head: 'a head turn',
};

/** Camera words in the negative prompt take no part in v2's guidance; say so where they name a move the positive prompt asks for. */
function warnNegativeCamera(ctx: NodeContext, positive: ParsedPrompt, negative: ParsedPrompt | undefined): void {
  if (!negative) return;
  const asked = new Set(positive.camera.map((c) => c.command));
  const both = [...new Set(negative.camera.map((c) => c.command))].filter((c): c is CameraCommand => asked.has(c) && c !== 'static');
  if (!both.length) return;
  ctx.warn(
    `The negative prompt names ${both.map(commandLabel).join(', ')}, which the positive prompt asks for: camera moves come from the positive prompt only (the negative prompt guides ambient motion), so it plays as asked. To rule a move out, write it in the positive prompt ("don't zoom").`,
    'negative',
  );
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
function roundPose(p: { position: number[]; rotation: number[]; fov: number }) {
  return {
    position: p.position.map(round) as [number, number, number],
    rotation: p.rotation.map(round) as [number, number, number],
    fov: round(p.fov),
  };
}
