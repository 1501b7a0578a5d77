import { z } from 'zod';
import type { Sized, Summarizable } from '@kinegraph/graph-core';

/** A point in image pixels (x right, y down, origin at the top-left corner of the top-left pixel). */
export const PointSchema = z.tuple([z.number(), z.number()]);

/**
 * One face: its box and six landmarks in image pixels, and the detector's confidence. Landmarks are named
 * as MediaPipe names them, from the person's point of view: on a frontal face the person's right eye is
 * on the image's left.
 */
export const FaceSchema = z.object({
  box: z.object({ x: z.number(), y: z.number(), width: z.number().nonnegative(), height: z.number().nonnegative() }),
  score: z.number().min(0).max(1),
  landmarks: z.object({
    rightEye: PointSchema,
    leftEye: PointSchema,
    noseTip: PointSchema,
    mouth: PointSchema,
    rightEar: PointSchema,
    leftEar: PointSchema,
  }),
});
export type Face = z.infer<typeof FaceSchema>;
export type FaceLandmark = keyof Face['landmarks'];

/** The landmark order of the BlazeFace output (and of MediaPipe's face detection). */
export const FACE_LANDMARKS: readonly FaceLandmark[] = ['rightEye', 'leftEye', 'noseTip', 'mouth', 'rightEar', 'leftEar'];

/** What `FacesValue.toJSON` writes (and a disk cache keeps); `FacesValue.fromJSON` reads it back. */
export const FacesJsonSchema = z.object({
  kind: z.literal('faces'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  model: z.string(),
  faces: z.array(FaceSchema),
});

/** FACES: the faces found in one picture of width x height, best score first. */
export class FacesValue implements Sized, Summarizable {
  readonly kind = 'faces' as const;
  readonly faces: readonly Face[];
  constructor(
    readonly width: number,
    readonly height: number,
    faces: readonly Face[],
    /** Which detector found them ("blazeface short+full range"). */
    readonly model: string,
  ) {
    this.faces = faces.map((f) => FaceSchema.parse(f));
  }
  get count(): number {
    return this.faces.length;
  }
  byteSize(): number {
    return 256 + this.faces.length * 160;
  }
  summary(): string {
    if (this.faces.length === 0) return `FACES none in ${this.width}x${this.height}`;
    const best = Math.max(...this.faces.map((f) => f.score));
    return `FACES ${this.faces.length} in ${this.width}x${this.height} (best score ${best.toFixed(2)})`;
  }
  toJSON(): z.infer<typeof FacesJsonSchema> {
    return { kind: this.kind, width: this.width, height: this.height, model: this.model, faces: [...this.faces] };
  }
  /** From `toJSON`'s output; throws (zod's message) when it is not one. */
  static fromJSON(json: unknown): FacesValue {
    const v = FacesJsonSchema.parse(json);
    return new FacesValue(v.width, v.height, v.faces, v.model);
  }
}
