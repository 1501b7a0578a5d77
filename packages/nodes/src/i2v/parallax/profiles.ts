import type { ModelInfo } from '../../model/handles.js';
import { v2Calibration } from './camera/calibration-v2.js';
import { V1_CALIBRATION, type Calibration } from './camera/presets.js';
import { parallaxInfo, parallaxV2Info } from './info.js';
import type { EnvironmentKind } from './prompt/lexicon.js';
import { V1_LEXICON, V2_LEXICON, type PromptLexicon } from './prompt/prompt-lexicon.js';
import type { ParallaxScene } from './scene.js';

/**
 * How frames stay on content. margin: views may reach into the margin synthesized around the photo (v1);
 * photo: no frame shows a pixel from outside the photo: the camera zooms in just enough, and moves that the
 * photo has no room for are scaled down (v2's default); the Denoise node's `framing` chooses per run.
 */
export type FramingPolicy = 'margin' | 'photo';

/**
 * One version of the built-in parallax model: the same pipeline (analysis, prompt parser, guidance, camera,
 * renderer) with these settings. v1's are fixed so old workflows keep their bytes.
 */
export interface ParallaxProfile {
  info: ModelInfo;
  /** Sizes of the camera presets for a scene. */
  calibrate(scene: ParallaxScene): Calibration;
  /** The framing when the run does not choose (Denoise `framing: auto`). */
  framing: FramingPolicy;
  prompt: PromptLexicon;
  guidance: {
    /** Camera moves in the negative prompt take part in guidance (v1), or are left out of it (v2). */
    cameraFromNegative: boolean;
    /** cfg scales camera moves too (v1); v2's camera follows the positive prompt and the motion level only. */
    cameraCfg: boolean;
  };
  ambient: {
    /** Ambient motion every photo gets, even when the prompt names none. */
    auto: Partial<Record<EnvironmentKind, number>>;
    /** Seeds also vary drift speed and direction, gust timing and wave direction (v2), not only noise. */
    variety: boolean;
  };
  analysis: {
    /** The margin beyond the photo starts as its mirror image (v1) or as a smooth fill only (v2: never mirrored). */
    mirrorMargin: boolean;
    /** Layers from the learned perception models (person matte, faces, depth cue) and exemplar fill behind the subject (v2). */
    perception: boolean;
  };
  /** Tracking moves let the subject's layer travel with the camera. */
  tracking: boolean;
}

export const PARALLAX_V1: ParallaxProfile = {
  info: parallaxInfo,
  calibrate: () => V1_CALIBRATION,
  framing: 'margin',
  prompt: V1_LEXICON,
  guidance: { cameraFromNegative: true, cameraCfg: true },
  ambient: { auto: { clouds: 0.12, ripples: 0.15, wind: 0.12 }, variety: false },
  analysis: { mirrorMargin: true, perception: false },
  tracking: false,
};

export const PARALLAX_V2: ParallaxProfile = {
  info: parallaxV2Info,
  calibrate: v2Calibration,
  framing: 'photo',
  prompt: V2_LEXICON,
  guidance: { cameraFromNegative: false, cameraCfg: false },
  ambient: { auto: { clouds: 0.12, ripples: 0.15, wind: 0.12 }, variety: true },
  analysis: { mirrorMargin: false, perception: true },
  tracking: true,
};

export const PARALLAX_PROFILES: ParallaxProfile[] = [PARALLAX_V2, PARALLAX_V1];
