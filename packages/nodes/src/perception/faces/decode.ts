import type { Anchor } from './anchors.js';

/** A detection in normalised coordinates of the picture (0..1 on both axes), before suppression. */
export interface RawDetection {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  score: number;
  /** Six landmarks, x then y each. */
  keypoints: Float64Array;
}

/** Maps a point in normalised model-input coordinates to normalised picture coordinates (undoes the letterbox). */
export type InputToPicture = (x: number, y: number) => [number, number];

const VALUES = 16;
const KEYPOINTS = 6;

/** Sigmoid of a raw score clipped to ±100, as MediaPipe's TensorsToDetectionsCalculator does. */
export function scoreOf(raw: number): number {
  const c = raw < -100 ? -100 : raw > 100 ? 100 : raw;
  return 1 / (1 + Math.exp(-c));
}

/**
 * Decodes one grid's outputs (MediaPipe face detection options: reverse_output_order, x/y/w/h scales = input
 * size, fixed anchor size): centre = anchor + offset / size, size = value / size; keypoints likewise.
 * Anchors scoring below `threshold` are dropped.
 */
export function decodeDetections(
  scores: Float32Array,
  boxes: Float32Array,
  anchors: readonly Anchor[],
  inputSize: number,
  threshold: number,
  toPicture: InputToPicture,
): RawDetection[] {
  if (boxes.length !== scores.length * VALUES || anchors.length !== scores.length) {
    throw new Error(
      `BlazeFace output sizes do not match: ${scores.length} scores, ${boxes.length / VALUES} boxes, ${anchors.length} anchors`,
    );
  }
  const out: RawDetection[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scoreOf(scores[i]);
    if (!(score >= threshold)) continue;
    const a = anchors[i];
    const o = i * VALUES;
    const cx = a.x + boxes[o] / inputSize;
    const cy = a.y + boxes[o + 1] / inputSize;
    const w = boxes[o + 2] / inputSize;
    const h = boxes[o + 3] / inputSize;
    if (!(w > 0 && h > 0)) continue;
    const [xmin, ymin] = toPicture(cx - w / 2, cy - h / 2);
    const [xmax, ymax] = toPicture(cx + w / 2, cy + h / 2);
    const keypoints = new Float64Array(KEYPOINTS * 2);
    for (let k = 0; k < KEYPOINTS; k++) {
      const [kx, ky] = toPicture(a.x + boxes[o + 4 + 2 * k] / inputSize, a.y + boxes[o + 5 + 2 * k] / inputSize);
      keypoints[2 * k] = kx;
      keypoints[2 * k + 1] = ky;
    }
    out.push({ xmin, ymin, xmax, ymax, score, keypoints });
  }
  return out;
}
