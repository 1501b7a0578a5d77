import type { NodeDefinition } from '@kinegraph/graph-core';
import type { ModelProvider } from '../model/handles.js';
import { CameraPath } from './camera/CameraPath.js';
import { EncodePrompt } from './conditioning/EncodePrompt.js';
import { DecodeVideo } from './latent/DecodeVideo.js';
import { EncodeImage } from './latent/EncodeImage.js';
import { LoadModel } from './model/LoadModel.js';
import { parallaxProvider } from './parallax/provider.js';
import { Denoise } from './sampling/Denoise.js';
import { MotionBrush } from './motion/MotionBrush.js';

export { CameraPath, EncodePrompt, DecodeVideo, EncodeImage, LoadModel, Denoise, MotionBrush };
export { parallaxProvider, parallaxBundle, parallaxV2Bundle } from './parallax/provider.js';
export { PARALLAX_ID, PARALLAX_V2_ID, DEFAULT_PARALLAX_ID, parallaxInfo, parallaxV2Info } from './parallax/info.js';

/** The image-to-video nodes (LoadModel, EncodeImage, EncodePrompt, CameraPath, Motion Brush, Denoise, DecodeVideo). */
export const i2vNodes: NodeDefinition<any>[] = [LoadModel, EncodeImage, EncodePrompt, CameraPath, MotionBrush, Denoise, DecodeVideo];

/** Model providers that are always there (builtin/parallax-v2 and v1). */
export function builtinModelProviders(): ModelProvider[] {
  return [parallaxProvider];
}
export { prepareMotionPreview, type MotionPreview, type MotionPreviewInputs } from './preview/motion-preview.js';
