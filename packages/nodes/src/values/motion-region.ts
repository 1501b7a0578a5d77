import type { Sized, Summarizable } from '@kinegraph/graph-core';
import type { MaskValue } from './mask.js';

/** The motions a brush can paint (the renderer's ambient motions, placed by hand instead of by region masks). */
export const BRUSH_KINDS = ['flow', 'ripple', 'sway', 'drift', 'hair'] as const;
export type BrushKind = (typeof BRUSH_KINDS)[number];

/** One painted region: where (a MASK over the photo), what motion, which way (unit vector, +x right, +y down), how strong (0..1). */
export interface BrushStroke {
  mask: MaskValue;
  kind: BrushKind;
  direction: [number, number];
  strength: number;
}

/** MOTION_REGION: the brush strokes for Denoise, in the order they were painted (a chain of Motion Brush nodes). */
export class MotionRegionValue implements Sized, Summarizable {
  readonly kind = 'motion_region' as const;
  constructor(readonly strokes: readonly BrushStroke[]) {}
  byteSize(): number {
    return this.strokes.reduce((n, s) => n + s.mask.byteSize() + 64, 0);
  }
  summary(): string {
    return `MOTION_REGION ${this.strokes.map((s) => `${s.kind} ${Math.round(s.mask.coverage() * 100)}%`).join(', ')}`;
  }
}
