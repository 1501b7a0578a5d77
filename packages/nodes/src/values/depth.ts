import type { Sized, Summarizable } from '@kinegraph/graph-core';

/**
 * DEPTH: a relative depth cue at image size, one float32 per pixel, row-major. The values are relative
 * inverse depth (disparity) normalised to [0, 1]: 1 = nearest, 0 = farthest in this picture. They are
 * not metres and not comparable between pictures; only their order and rough spacing mean something
 * (a monocular network can not know the scale). Inverse depth rather than depth because it is what
 * parallax needs (screen motion is proportional to 1/z) and because it stays bounded for the sky.
 */
export class DepthValue implements Sized, Summarizable {
  readonly kind = 'depth' as const;
  constructor(
    readonly width: number,
    readonly height: number,
    /** width*height values in [0, 1], near = 1. */
    readonly data: Float32Array,
    /** Which estimator made it ("fastdepth"). */
    readonly model: string,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`DEPTH needs a positive integer size, got ${width}x${height}`);
    }
    if (data.length !== width * height) throw new Error(`DEPTH ${width}x${height} needs ${width * height} values, got ${data.length}`);
  }
  byteSize(): number {
    return this.data.byteLength;
  }
  /** The value at a pixel (clamped to the picture). */
  at(x: number, y: number): number {
    const cx = Math.min(this.width - 1, Math.max(0, Math.round(x)));
    const cy = Math.min(this.height - 1, Math.max(0, Math.round(y)));
    return this.data[cy * this.width + cx];
  }
  summary(): string {
    let sum = 0;
    for (let i = 0; i < this.data.length; i++) sum += this.data[i];
    return `DEPTH ${this.width}x${this.height} (${this.model}, relative inverse depth, near = 1, mean ${(sum / this.data.length).toFixed(2)})`;
  }
}
