import type { NodeContext } from '@kinegraph/graph-core';
import type { CameraValue } from '../values/camera.js';
import type { ConditioningValue } from '../values/conditioning.js';
import type { ImageValue } from '../values/image.js';
import type { LatentValue } from '../values/latent.js';
import type { BrushStroke } from '../values/motion-region.js';
import type { VideoValue } from '../values/video.js';

/**
 * What LoadModel hands to the rest of the graph. The built-in parallax model and ONNX models both
 * implement these, so one graph (LoadImage, EncodeImage, EncodePrompt, CameraPath, Denoise,
 * DecodeVideo, SaveVideo) runs either. Handles are small; the cache keys them by LoadModel's content
 * key, never by their weights.
 */
export { ModelInfoSchema, type ModelInfo } from './model-info.js';
import type { ModelInfo } from './model-info.js';

export type ResizeMode = 'crop' | 'fit' | 'pad';

export interface EncodeImageOptions {
  width: number;
  height: number;
  resizeMode: ResizeMode;
}

export interface VaeHandle {
  readonly kind: 'vae';
  readonly info: ModelInfo;
  encode(ctx: NodeContext, image: ImageValue, options: EncodeImageOptions): Promise<LatentValue>;
  decode(ctx: NodeContext, latent: LatentValue): Promise<VideoValue>;
}

export interface TextEncoderHandle {
  readonly kind: 'text_encoder';
  readonly info: ModelInfo;
  encode(ctx: NodeContext, text: string): Promise<ConditioningValue>;
}

export interface DenoiseRequest {
  image: LatentValue;
  positive: ConditioningValue;
  negative?: ConditioningValue;
  camera?: CameraValue;
  frames: number;
  fps: number;
  steps: number;
  cfg: number;
  seed: number;
  sampler: string;
  scheduler: string;
  /** Motion intensity, 0..1 (low 0.25, medium 0.5, high 0.85). */
  motion: number;
  /**
   * Where frames may look: inside the photo only, or beyond its edges (content the model synthesizes);
   * absent or 'auto': the model's own default.
   */
  framing?: 'auto' | 'inside' | 'beyond';
  /** Motion painted by hand (Motion Brush): each region moves its own way, nothing outside it does. */
  brushes?: readonly BrushStroke[];
}

export interface VideoModelHandle {
  readonly kind: 'model';
  readonly info: ModelInfo;
  /** Returns the video LATENT; reports progress (with a preview) on every step through ctx. */
  denoise(ctx: NodeContext, request: DenoiseRequest): Promise<LatentValue>;
}

export interface ModelBundle {
  model: VideoModelHandle;
  vae: VaeHandle;
  textEncoder: TextEncoderHandle;
}

/** A source of models (the built-in ones, a folder of ONNX models). */
export interface ModelProvider {
  list(): Promise<ModelInfo[]>;
  /** Loads the model if it is this provider's, else returns undefined. */
  load(id: string, signal?: AbortSignal): Promise<ModelBundle | undefined>;
  /** Releases loaded sessions (idle or low memory). */
  unloadAll?(): Promise<void>;
}
