import type { Sized, Summarizable } from '@kinegraph/graph-core';

/**
 * VIDEO: frames + frame rate. Frames may be produced lazily (`frameAt` renders on demand) so a long
 * clip streams into ffmpeg without holding every frame in memory.
 */
export interface VideoSource {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frameCount: number;
  /** RGB bytes of frame i (width*height*3). Frames are requested in order; random access is allowed. */
  frameAt(index: number): Promise<Uint8Array>;
  /**
   * Optional: frame i as I420 (BT.709 limited range; Y plane, then Cb and Cr at half resolution), for sources
   * that can draw it directly (cheaper than RGB, and the encoder then has nothing to convert). Even sides only.
   * `into`: a buffer of the right size the caller is done with, which the source may draw into and return.
   */
  i420At?(index: number, into?: Uint8Array): Promise<Uint8Array>;
  /** Bytes held by this source (not counting frames rendered on demand). */
  byteSize(): number;
  /** True when frames are decoded from a file as they are asked for (LoadVideo): nothing worth caching is held. */
  readonly decodesFromFile?: boolean;
}

export class VideoValue implements Sized, Summarizable {
  readonly kind = 'video' as const;
  constructor(readonly source: VideoSource) {}
  get width() {
    return this.source.width;
  }
  get height() {
    return this.source.height;
  }
  get fps() {
    return this.source.fps;
  }
  get frameCount() {
    return this.source.frameCount;
  }
  frameAt(i: number) {
    return this.source.frameAt(i);
  }
  byteSize(): number {
    return this.source.byteSize();
  }
  summary(): string {
    return `VIDEO ${this.width}x${this.height} ${this.frameCount} frames @ ${this.fps} fps`;
  }
}

/** A VideoSource over frames already in memory. */
export function videoFromFrames(width: number, height: number, fps: number, frames: Uint8Array[]): VideoValue {
  return new VideoValue({
    width,
    height,
    fps,
    frameCount: frames.length,
    frameAt: async (i) => frames[i],
    byteSize: () => frames.reduce((n, f) => n + f.byteLength, 0),
  });
}
