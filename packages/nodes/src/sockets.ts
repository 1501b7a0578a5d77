import { defineSocket } from '@kinegraph/graph-core';
import type { TextEncoderHandle, VaeHandle, VideoModelHandle } from './model/handles.js';
import { UpscaleModel } from './upscale/upscale-model.js';
import { AudioValue } from './values/audio.js';
import { CameraValue } from './values/camera.js';
import { ConditioningValue } from './values/conditioning.js';
import { DepthValue } from './values/depth.js';
import { FacesValue } from './values/faces.js';
import { ImageValue } from './values/image.js';
import { LatentValue } from './values/latent.js';
import { MaskValue } from './values/mask.js';
import { MotionRegionValue } from './values/motion-region.js';
import { VideoValue } from './values/video.js';
import { LinesValue } from './perception/lines/lines-value.js';

/**
 * The socket types this library's nodes exchange, each declared once: its name, the check the engine
 * runs at node boundaries, and how a value describes and sizes itself. How the disk tier stores them is
 * registered in codecs/.
 */
export const IMAGE = defineSocket<ImageValue>({
  name: 'IMAGE',
  summary: 'One RGB picture, 8 bits per channel',
  is: (v): v is ImageValue => v instanceof ImageValue,
});
export const MASK = defineSocket<MaskValue>({
  name: 'MASK',
  summary: 'One float per pixel, 0 outside to 1 inside',
  is: (v): v is MaskValue => v instanceof MaskValue,
});
export const MOTION_REGION = defineSocket<MotionRegionValue>({
  name: 'MOTION_REGION',
  summary: 'Painted regions, each with a motion (kind, direction, strength)',
  is: (v): v is MotionRegionValue => v instanceof MotionRegionValue,
  hint: 'connect it to Motion Brush',
});
export const DEPTH = defineSocket<DepthValue>({
  name: 'DEPTH',
  summary: 'Relative inverse depth per pixel, near = 1',
  is: (v): v is DepthValue => v instanceof DepthValue,
});
export const FACES = defineSocket<FacesValue>({
  name: 'FACES',
  summary: 'Face boxes and landmarks in one picture',
  is: (v): v is FacesValue => v instanceof FacesValue,
});
export const LINES = defineSocket<LinesValue>({
  name: 'LINES',
  summary: 'Straight line segments in one picture (pixels, with scores)',
  is: (v): v is LinesValue => v instanceof LinesValue,
});
export const LATENT = defineSocket<LatentValue>({
  name: 'LATENT',
  summary: "A model's working tensors and their description",
  is: (v): v is LatentValue => v instanceof LatentValue,
});
export const CONDITIONING = defineSocket<ConditioningValue>({
  name: 'CONDITIONING',
  summary: 'What a text encoder made of a prompt: a report and the model’s own payload',
  is: (v): v is ConditioningValue => v instanceof ConditioningValue,
});
export const CAMERA = defineSocket<CameraValue>({
  name: 'CAMERA',
  summary: 'A camera path over the clip',
  is: (v): v is CameraValue => v instanceof CameraValue,
});
export const VIDEO = defineSocket<VideoValue>({
  name: 'VIDEO',
  summary: 'Frames and a frame rate, streamed where long',
  is: (v): v is VideoValue => v instanceof VideoValue,
});
export const AUDIO = defineSocket<AudioValue>({
  name: 'AUDIO',
  summary: 'PCM samples with a rate and channel count',
  is: (v): v is AudioValue => v instanceof AudioValue,
});

const handle =
  <T extends { kind: string }>(kind: T['kind']) =>
  (v: unknown): v is T =>
    typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind;
const fromLoadModel = 'connect it to Load Model';
export const MODEL = defineSocket<VideoModelHandle>({
  name: 'MODEL',
  summary: 'A motion model handle',
  is: handle<VideoModelHandle>('model'),
  hint: fromLoadModel,
});
export const VAE = defineSocket<VaeHandle>({
  name: 'VAE',
  summary: "A model's image codec handle",
  is: handle<VaeHandle>('vae'),
  hint: fromLoadModel,
});
export const TEXT_ENCODER = defineSocket<TextEncoderHandle>({
  name: 'TEXT_ENCODER',
  summary: "A model's prompt encoder handle",
  is: handle<TextEncoderHandle>('text_encoder'),
  hint: fromLoadModel,
});
export const UPSCALE_MODEL = defineSocket<UpscaleModel>({
  name: 'UPSCALE_MODEL',
  summary: 'An open super-resolution network',
  is: (v): v is UpscaleModel => v instanceof UpscaleModel,
  hint: 'connect it to Load Upscale Model',
});
