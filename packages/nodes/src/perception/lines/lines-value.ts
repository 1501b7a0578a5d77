import { z } from 'zod';
import type { Sized, Summarizable } from '@kinegraph/graph-core';

/** One segment in image pixels (x right, y down, origin at the top-left corner) and the detector's score. */
export const SegmentSchema = z.object({
  x0: z.number(),
  y0: z.number(),
  x1: z.number(),
  y1: z.number(),
  score: z.number().min(0).max(1),
});
export type Segment = z.infer<typeof SegmentSchema>;

/** What `LinesValue.toJSON` writes; `LinesValue.fromJSON` reads it back. */
export const LinesJsonSchema = z.object({
  kind: z.literal('lines'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  model: z.string(),
  segments: z.array(SegmentSchema),
});

/** Values per segment in the packed form: x0, y0, x1, y1, score. */
export const SEGMENT_STRIDE = 5;

/**
 * LINES: the straight line segments found in one picture of width x height, packed as x0, y0, x1, y1, score
 * per segment (a Float32Array: it crosses to worker threads without a copy of objects), longest first.
 */
export class LinesValue implements Sized, Summarizable {
  readonly kind = 'lines' as const;
  readonly packed: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
    packed: Float32Array,
    /** Which detector found them ("M-LSD tiny 512"). */
    readonly model: string,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`LINES needs a positive integer size, got ${width}x${height}`);
    }
    if (packed.length % SEGMENT_STRIDE !== 0) throw new Error(`LINES: ${packed.length} values are not whole segments`);
    for (const v of packed) if (!Number.isFinite(v)) throw new Error('LINES: a segment has a coordinate that is not a number');
    this.packed = packed;
  }
  get count(): number {
    return this.packed.length / SEGMENT_STRIDE;
  }
  segment(i: number): Segment {
    const o = i * SEGMENT_STRIDE;
    const p = this.packed;
    return { x0: p[o], y0: p[o + 1], x1: p[o + 2], y1: p[o + 3], score: p[o + 4] };
  }
  get segments(): Segment[] {
    return Array.from({ length: this.count }, (_, i) => this.segment(i));
  }
  byteSize(): number {
    return 128 + this.packed.byteLength;
  }
  summary(): string {
    if (this.count === 0) return `LINES none in ${this.width}x${this.height}`;
    const diag = Math.hypot(this.width, this.height);
    const long = this.segments.filter((s) => Math.hypot(s.x1 - s.x0, s.y1 - s.y0) >= 0.06 * diag).length;
    return `LINES ${this.count} in ${this.width}x${this.height} (${long} of at least 6% of the diagonal)`;
  }
  toJSON(): z.infer<typeof LinesJsonSchema> {
    return { kind: this.kind, width: this.width, height: this.height, model: this.model, segments: this.segments };
  }
  /** From `toJSON`'s output; throws (zod's message) when it is not one. */
  static fromJSON(json: unknown): LinesValue {
    const v = LinesJsonSchema.parse(json);
    return new LinesValue(v.width, v.height, Float32Array.from(v.segments.flatMap((s) => [s.x0, s.y0, s.x1, s.y1, s.score])), v.model);
  }
}
