import type { Sized, Summarizable } from '@kinegraph/graph-core';

/** AUDIO: PCM float samples in [-1, 1], interleaved by channel. */
export class AudioValue implements Sized, Summarizable {
  readonly kind = 'audio' as const;
  constructor(
    readonly sampleRate: number,
    readonly channels: number,
    readonly samples: Float32Array,
  ) {}
  get durationSeconds(): number {
    return this.samples.length / this.channels / this.sampleRate;
  }
  byteSize(): number {
    return this.samples.byteLength;
  }
  summary(): string {
    return `AUDIO ${this.channels}ch ${this.sampleRate} Hz ${this.durationSeconds.toFixed(2)} s`;
  }
}
