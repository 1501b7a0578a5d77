import type { Logger } from '@kinegraph/graph-core';
import * as ort from 'onnxruntime-node';
import { FACE_LANDMARKS, type Face } from '../../values/faces.js';
import type { ImageValue } from '../../values/image.js';
import { ssdAnchors, type Anchor } from './anchors.js';
import { BLAZEFACE_INPUT, BLAZEFACE_OUTPUTS, blazeFaceModels, FULL_RANGE, SHORT_RANGE, type BlazeFaceVariant } from './blazeface-model.js';
import { decodeDetections, type RawDetection } from './decode.js';
import { letterbox } from './letterbox.js';
import { weightedNms } from './nms.js';

export type FaceModelChoice = 'short' | 'full' | 'both';

export interface DetectFacesOptions {
  model: FaceModelChoice;
  /** Minimum confidence (MediaPipe's default min_detection_confidence is 0.5). */
  threshold: number;
  maxFaces: number;
  /** IoU above which two detections are one face (MediaPipe: 0.3). */
  iouThreshold?: number;
  log?: Logger;
}

export interface DetectFacesResult {
  faces: Face[];
  /** ms per variant run (preprocess + inference + decode). */
  timings: Record<string, number>;
}

const anchorCache = new Map<string, Anchor[]>();
function anchorsFor(v: BlazeFaceVariant): Anchor[] {
  let a = anchorCache.get(v.id);
  if (!a) anchorCache.set(v.id, (a = ssdAnchors(v.size, v.strides)));
  return a;
}

/** Runs one BlazeFace variant and returns its thresholded, undecoded-by-NMS detections in picture coordinates. */
async function runVariant(image: ImageValue, v: BlazeFaceVariant, threshold: number, log?: Logger): Promise<RawDetection[]> {
  const { session } = await blazeFaceModels[v.id].get(log);
  const { tensor, toPicture } = await letterbox(image, v.size);
  const out = await session.run({ [BLAZEFACE_INPUT]: new ort.Tensor('float32', tensor, [1, v.size, v.size, 3]) });
  const data = (name: string) => out[name].data as Float32Array;
  const anchors = anchorsFor(v);
  const fine = data(BLAZEFACE_OUTPUTS.fineScores).length;
  return [
    ...decodeDetections(
      data(BLAZEFACE_OUTPUTS.fineScores),
      data(BLAZEFACE_OUTPUTS.fineBoxes),
      anchors.slice(0, fine),
      v.size,
      threshold,
      toPicture,
    ),
    ...decodeDetections(
      data(BLAZEFACE_OUTPUTS.coarseScores),
      data(BLAZEFACE_OUTPUTS.coarseBoxes),
      anchors.slice(fine),
      v.size,
      threshold,
      toPicture,
    ),
  ];
}

/**
 * BlazeFace on the whole picture: the short-range model (faces filling a good part of the frame), the
 * full-range one (smaller faces), or both with their detections merged by one weighted NMS.
 */
export async function detectFaces(image: ImageValue, o: DetectFacesOptions): Promise<DetectFacesResult> {
  const variants = o.model === 'both' ? [SHORT_RANGE, FULL_RANGE] : [o.model === 'short' ? SHORT_RANGE : FULL_RANGE];
  const raw: RawDetection[] = [];
  const timings: Record<string, number> = {};
  for (const v of variants) {
    const start = performance.now();
    raw.push(...(await runVariant(image, v, o.threshold, o.log)));
    timings[v.id] = performance.now() - start;
  }
  const kept = weightedNms(raw, o.iouThreshold ?? 0.3, o.maxFaces);
  return { faces: kept.map((d) => toFace(d, image.width, image.height)), timings };
}

function toFace(d: RawDetection, width: number, height: number): Face {
  const clampX = (v: number) => Math.min(width, Math.max(0, v * width));
  const clampY = (v: number) => Math.min(height, Math.max(0, v * height));
  const x0 = clampX(d.xmin);
  const y0 = clampY(d.ymin);
  const landmarks = Object.fromEntries(
    FACE_LANDMARKS.map((name, k) => [name, [round3(d.keypoints[2 * k] * width), round3(d.keypoints[2 * k + 1] * height)]]),
  ) as Face['landmarks'];
  return {
    box: { x: round3(x0), y: round3(y0), width: round3(clampX(d.xmax) - x0), height: round3(clampY(d.ymax) - y0) },
    score: round3(Math.min(1, d.score)),
    landmarks,
  };
}

/** Three decimals: sub-pixel enough, and keeps FACES JSON short and stable. */
function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
