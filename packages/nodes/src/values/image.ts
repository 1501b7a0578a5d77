import type { Sized, Summarizable } from '@kinegraph/graph-core';

/** IMAGE: one RGB picture, 8 bits per channel, interleaved rows (what sharp's raw output gives). */
export class ImageValue implements Sized, Summarizable {
  readonly kind = 'image' as const;
  constructor(
    readonly width: number,
    readonly height: number,
    /** RGB, width*height*3 bytes, row-major. */
    readonly data: Uint8Array,
  ) {
    if (data.length !== width * height * 3)
      throw new Error(`IMAGE ${width}x${height} needs ${width * height * 3} bytes, got ${data.length}`);
  }
  byteSize(): number {
    return this.data.byteLength;
  }
  summary(): string {
    return `IMAGE ${this.width}x${this.height}`;
  }
}
