import { UserError, type NodeContext } from '@kinegraph/graph-core';
import sharp from 'sharp';
import { z } from 'zod';
import type { DenoiseRequest } from '../../model/handles.js';
import { CameraValue } from '../../values/camera.js';
import { ConditioningValue } from '../../values/conditioning.js';
import { LatentValue } from '../../values/latent.js';
import { ambientFrom, guide, toVector } from '../parallax/motion/guidance.js';
import { previewSize } from '../parallax/preview.js';
import { PARALLAX_PROFILES } from '../parallax/profiles.js';
import { PreviewScene } from '../parallax/render/preview-scene.js';
import { ParallaxRenderer } from '../parallax/render/renderer.js';
import { latentToScene, SCENE_FAMILY, type ParallaxScene } from '../parallax/scene.js';
import { parsedFrom } from '../parallax/text-encoder.js';
import { cameraPoses } from '../parallax/video-model.js';
import { Denoise, MOTION_LEVELS } from '../sampling/Denoise.js';
import { brushFields, type BrushMotion } from '../parallax/motion/brush-fields.js';
import type { ResizeMode } from '../../model/handles.js';
import type { MaskValue } from '../../values/mask.js';
import { MotionRegionValue, type BrushStroke } from '../../values/motion-region.js';

/** What a Denoise node receives (its links' values), as the runtime found them in its cache. */
export interface MotionPreviewInputs {
  model: unknown;
  latent: unknown;
  positive: unknown;
  negative?: unknown;
  camera?: unknown;
  /** From Motion Brush: painted regions the preview moves as the run would. */
  motion_regions?: unknown;
}

export interface MotionPreview {
  width: number;
  height: number;
  /** Frames and frame rate of the clip the run would make. */
  frames: number;
  fps: number;
  /** What the run would warn about (a move the photo has no room for, ...). */
  warnings: string[];
  /** The frame at index `frame` (0..frames-1) as RGB bytes (width×height×3); a few ms at preview size. */
  render(frame: number): Uint8Array;
  /** The same frame as a JPEG. */
  jpeg(frame: number, quality?: number): Promise<Uint8Array>;
}

const DenoiseParams = z.object(Denoise.params);

/**
 * The live motion preview: the scene a Denoise node would animate, at preview size, moving as the run would
 * move it (the same prompt parsing, guidance, camera path and framing as `denoise`), from the cached encode.
 * The one thing left out is the steps' detail refinement of synthesized background (a run's seconds of
 * work): previews show the encode's own completed background there.
 * `pause` is awaited between long stretches so a server keeps answering.
 */
export async function prepareMotionPreview(
  inputs: MotionPreviewInputs,
  denoiseParams: Record<string, unknown>,
  opts: { width?: number; pause?: () => Promise<void> } = {},
): Promise<MotionPreview> {
  const pause = opts.pause ?? (async () => {});
  const model = inputs.model as { info?: { id?: string } } | undefined;
  const profile = PARALLAX_PROFILES.find((p) => p.info.id === model?.info?.id);
  if (!profile)
    throw new UserError(
      `The live preview draws the built-in parallax models only (this Denoise uses ${model?.info?.id ?? 'no model'})`,
      'model',
    );
  if (!(inputs.latent instanceof LatentValue) || inputs.latent.family !== SCENE_FAMILY)
    throw new UserError('The live preview needs the image LATENT of Encode Image', 'latent');
  if (!(inputs.positive instanceof ConditioningValue)) throw new UserError('The positive CONDITIONING is missing', 'positive');
  const params = DenoiseParams.parse(denoiseParams);
  const frames = params.frames > 0 ? params.frames : Math.max(1, Math.round(params.duration * params.fps));
  const motion = params.motion === 'custom' ? params.motion_amount : MOTION_LEVELS[params.motion];
  const negativeCond = inputs.negative instanceof ConditioningValue ? inputs.negative : undefined;
  const camera = inputs.camera instanceof CameraValue ? inputs.camera : undefined;

  const regions = inputs.motion_regions instanceof MotionRegionValue ? inputs.motion_regions : undefined;
  const { small, brushes } = previewScene(inputs.latent, opts.width, regions?.strokes);
  const { width, height } = small.scene;
  const positive = parsedFrom(inputs.positive, profile.prompt)!;
  const negative = parsedFrom(negativeCond, profile.prompt);
  const scale = motion / 0.5;
  const guided = guide(toVector(positive), toVector(negative), params.cfg, profile.guidance);
  const ambient = {
    ...ambientFrom(guided, positive, scale, profile.ambient.auto),
    duration: frames / params.fps,
    // Set before framing, as the run does: the brushes' reach is part of the room the framing keeps.
    ...(brushes ? { brushes } : {}),
  };
  const warnings: string[] = [];
  // cameraPoses reports through a node context's warn only.
  const ctx = { warn: (m: string) => void warnings.push(m) } as unknown as NodeContext;
  const request: DenoiseRequest = {
    image: inputs.latent,
    positive: inputs.positive,
    ...(negativeCond ? { negative: negativeCond } : {}),
    ...(camera ? { camera } : {}),
    frames,
    fps: params.fps,
    steps: params.steps,
    cfg: params.cfg,
    seed: params.seed,
    sampler: 'default',
    scheduler: 'default',
    motion,
    framing: params.framing,
  };
  // Framed on the small scene: the same geometry (sizes scale together), a fraction of the work, so an edit
  // shows within a frame or two.
  const { poses, render } = await cameraPoses(profile, ctx, request, small.scene, positive, guided, scale, ambient, pause);
  await pause();
  const renderer = new ParallaxRenderer(small.scene, small.background(), ambient, params.seed, width, height, render ?? {});
  const out = new Uint8Array(width * height * 3);
  const draw = (frame: number) => {
    const k = Math.max(0, Math.min(frames - 1, Math.round(frame)));
    return renderer.render(poses[k]!, k / params.fps, out);
  };
  return {
    width,
    height,
    frames,
    fps: params.fps,
    warnings,
    render: draw,
    async jpeg(frame, quality = 75) {
      const rgb = draw(frame);
      return new Uint8Array(
        await sharp(rgb, { raw: { width, height, channels: 3 } })
          .jpeg({ quality })
          .toBuffer(),
      );
    },
  };
}

/** The scene at preview size, made once per encode and width (edits to the prompt or camera reuse it). */
const scenes = new WeakMap<LatentValue, Map<number, PreviewScene>>();
/** The same with Motion Brush fields, once per encode, strokes (one Motion Brush output) and width. */
const brushed = new WeakMap<LatentValue, WeakMap<readonly BrushStroke[], Map<number, { small: PreviewScene; brushes: BrushMotion[] }>>>();

/** No refinement: the preview background is the encode's own (see above). */
const unrefined = { previewer: (_xs: Int32Array, _ys: Int32Array, base: Uint8Array) => ({ draw: () => base, pixels: new Int32Array(0) }) };

function previewScene(
  latent: LatentValue,
  wanted: number | undefined,
  strokes: readonly BrushStroke[] | undefined,
): { small: PreviewScene; brushes?: BrushMotion[] } {
  const scene = latentToScene(latent);
  const width = Math.min(wanted ?? previewSize(scene.width, scene.height).width, scene.width) & ~1;
  const height = Math.max(2, Math.round((width * scene.height) / scene.width / 2) * 2);
  if (strokes?.length) {
    let byStrokes = brushed.get(latent);
    if (!byStrokes) brushed.set(latent, (byStrokes = new WeakMap()));
    let byWidth = byStrokes.get(strokes);
    if (!byWidth) byStrokes.set(strokes, (byWidth = new Map()));
    let made = byWidth.get(width);
    if (!made) {
      // The masks carried onto the full scene exactly as the run carries them (Encode Image's fit of the photo),
      // then shrunk with the rest of the scene.
      const { fields, motions } = brushPlanes(latent, scene, strokes);
      made = { small: PreviewScene.create({ ...scene, brush: fields }, width, height, unrefined), brushes: motions };
      byWidth.set(width, made);
    }
    return made;
  }
  let byWidth = scenes.get(latent);
  if (!byWidth) scenes.set(latent, (byWidth = new Map()));
  let small = byWidth.get(width);
  if (!small) {
    small = PreviewScene.create(scene, width, height, unrefined);
    byWidth.set(width, small);
  }
  return { small };
}

/** Each painted mask's weight field on an encode's scene: it depends on the mask alone, not on the motion. */
const maskPlanes = new WeakMap<LatentValue, WeakMap<MaskValue, { plane: Float32Array; motion: BrushMotion }>>();

/**
 * The brushes' fields and motions as the run makes them (brushFields), one stroke at a time so a mask's field
 * (a distance transform over the full scene: a few hundred ms at 720p) is made once: a change of a brush's
 * motion, direction or strength then previews at once.
 */
function brushPlanes(latent: LatentValue, scene: ParallaxScene, strokes: readonly BrushStroke[]) {
  const meta = latent.meta as { source?: [number, number]; resizeMode?: ResizeMode };
  let byMask = maskPlanes.get(latent);
  if (!byMask) maskPlanes.set(latent, (byMask = new WeakMap()));
  const n = scene.qw * scene.qh;
  const fields = new Float32Array(strokes.length * n);
  const motions: BrushMotion[] = [];
  strokes.forEach((stroke, k) => {
    let made = byMask.get(stroke.mask);
    if (!made) {
      const one = brushFields([stroke], scene, meta.source ?? [scene.width, scene.height], meta.resizeMode ?? 'crop');
      made = { plane: one.fields, motion: one.motions[0]! };
      byMask.set(stroke.mask, made);
    }
    fields.set(made.plane, k * n);
    // The motion is this stroke's own (the cached one may be of another motion painted with the same mask).
    motions.push({ ...made.motion, kind: stroke.kind, dir: [stroke.direction[0], stroke.direction[1]], strength: stroke.strength });
  });
  return { fields, motions };
}
